"""The wheel as a user gets it: built from this tree, installed into a fresh virtual environment by the
pip that `python -m venv` puts there, and run through the `briefing` script it installs, on a gzipped
HTML page. The tests reach no network: the new environment sees this one's dependencies through a .pth
file, and pip installs the wheel alone (--no-deps --no-index); CI (.ci/run) installs as a user does."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import paths
from clirun import environment

ROOT = paths.ROOT
PAGE = ROOT / "tests" / "data" / "html" / "aljazeera.com-7916ecca969f.html.gz"


def test_the_installed_wheel_briefs_a_gzipped_page(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
                            str(ROOT)], capture_output=True, text=True, check=False)  # fmt: skip
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = dist.glob("briefing-*.whl")

    home = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(home)  # the pip the standard library bundles, as a user's venv has
    bin_dir = home / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    installed = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
                               capture_output=True, text=True, check=False)  # fmt: skip
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    # Then this environment's dependencies, after the new one's own packages (the wheel's briefing comes
    # first). Written after the install: pip would otherwise see a briefing installed here (CI installs
    # it, not editable) as already satisfying the wheel and install nothing.
    (Path(purelib) / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    work = tmp_path / "work"
    work.mkdir()
    env = environment(tmp_path, {"PYTHONPATH": None})  # nothing but the new environment's own packages
    where = subprocess.run([str(python), "-c", "import briefing; print(briefing.__file__)"], capture_output=True,
                           text=True, cwd=work, env=env, check=True).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(home), where  # the wheel's copy, not this tree's
    run = subprocess.run([str(bin_dir / "briefing"), "generate", str(PAGE)], capture_output=True, text=True,
                         cwd=work, env=env, check=False)  # fmt: skip
    assert run.returncode in (0, 3), run.stderr
    here = subprocess.run([sys.executable, "-m", "briefing", "generate", str(PAGE)], capture_output=True, text=True,
                          cwd=work, env=environment(tmp_path), check=False)  # fmt: skip
    assert run.stdout == here.stdout and run.stdout.startswith("# ")
    templates = subprocess.run([str(bin_dir / "briefing"), "templates", "path"], capture_output=True, text=True,
                               cwd=work, env=env, check=True).stdout.strip()  # fmt: skip
    assert Path(templates).is_relative_to(home) and (Path(templates) / "render.md.j2").is_file()
