"""Output safety: briefs are written atomically (a failed or interrupted run leaves an existing output as it
was, and no temporary file), and text from an article or a model cannot change the structure of the
Markdown brief: no headings, HTML, links, images, code, quotes, tables or list items of its own.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import ChatServer, error, hang, reply
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing.checks.findings import ValidationReport
from briefing.cli.output import write_atomic
from briefing.contract import Brief
from briefing.errors import UsageError
from briefing.render.markdown import render_markdown
from briefing.source.article import load_source

markdown_it = pytest.importorskip("markdown_it")

ROOT = paths.ROOT
ARTICLE = ROOT / "examples" / "carney-ukraine.txt"
TEXT = ARTICLE.read_text(encoding="utf-8")
BRIEFS = paths.BRIEFS
SECTIONS = ["What", "Who", "Pledges", "Obstacles", "Next steps", "Figure check"]
MARKERS = ["<!-- briefing:meta -->", "<!-- briefing:checks -->"]
OLD = "# The previous brief\n\nkept as it was\n"


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefing", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment(cwd, env), timeout=120, check=False)  # fmt: skip


def environment(cwd: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    environment.update({"PYTHONUTF8": "1", "BRIEFING_CACHE_DIR": str(cwd / "cache"),
                        "XDG_CACHE_HOME": str(cwd / "xdg-cache"), "BRIEFING_RETRIES": "0"})  # fmt: skip
    environment.update(env or {})
    return environment


def leftovers(folder: Path) -> list[str]:
    """Temporary files (`.NAME.XXXX.tmp`) anywhere under `folder`."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp"))


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefing: "), stderr
    assert "Traceback" not in stderr
    return lines[0]


# -- atomic output: generate -o ---------------------------------------------------------------------------


def test_generate_replaces_the_output_in_one_step(tmp_path: Path) -> None:
    """The old file is replaced by a rename, never rewritten in place: a reader holding the old file (here a
    hard link to it) sees the whole old brief, the new name the whole new one."""
    target = tmp_path / "brief.md"
    target.write_text(OLD, encoding="utf-8")
    os.link(target, tmp_path / "reader-view.md")
    done = run_cli("generate", str(ARTICLE), "--engine", "extractive", "-o", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "reader-view.md").read_text(encoding="utf-8") == OLD
    assert target.read_text(encoding="utf-8").startswith("# ") and "## Figure check" in target.read_text("utf-8")
    assert not os.path.samefile(target, tmp_path / "reader-view.md")
    assert leftovers(tmp_path) == [] and done.stdout == ""


FAILING_TEMPLATE = "# {{ brief.title }}\n\n{% for row in checks %}{{ row.text }}\n{% endfor %}{{ 1 // 0 }}\n"


CAUSES = [
    ("template-raises-at-render", 2, "template"),
    ("template-reaches-for-dunder", 2, "is not allowed to do that"),
    ("server-fails", 1, "HTTP 500"),
    ("bad-input", 2, "is binary, not text"),
    ("interrupted", 130, "briefing: interrupted"),
]


@pytest.mark.parametrize(("cause", "code", "says"), CAUSES, ids=[cause for cause, _, _ in CAUSES])
def test_a_failed_generate_leaves_the_existing_output_untouched(
    tmp_path: Path, cause: str, code: int, says: str
) -> None:
    target = tmp_path / "out" / "brief.md"
    target.parent.mkdir()
    target.write_text(OLD, encoding="utf-8")
    before = target.stat()
    args = [str(ARTICLE), "--engine", "extractive"]
    with ChatServer() as server:
        if cause == "template-raises-at-render":
            (tmp_path / "t.md.j2").write_text(FAILING_TEMPLATE, encoding="utf-8")
            args += ["--template", str(tmp_path / "t.md.j2")]
        elif cause == "template-reaches-for-dunder":
            (tmp_path / "t.md.j2").write_text("# {{ brief.title.__class__.__mro__ }}\n", encoding="utf-8")
            args += ["--template", str(tmp_path / "t.md.j2")]
        elif cause == "server-fails":
            server.script(error(500, "boom"))
            args = [str(ARTICLE), "--engine", "llm", "--base-url", server.url]
        elif cause == "bad-input":
            (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02" * 100)
            args = [str(tmp_path / "a.txt"), "--engine", "extractive"]
        if cause == "interrupted":  # Ctrl-C while the model is thinking
            server.script(hang(60, reply("{}")))
            command = [sys.executable, "-m", "briefing", "generate", str(ARTICLE), "--engine", "llm", "--base-url",
                       server.url, "-o", str(target)]  # fmt: skip
            process = subprocess.Popen(command, cwd=tmp_path, env=environment(tmp_path, {"BRIEFING_TIMEOUT": "60"}),
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
            deadline = time.monotonic() + 30
            while not server.requests and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            assert server.requests, "the request never came"
            process.send_signal(signal.SIGINT)
            out, err = process.communicate(timeout=30)
            done = subprocess.CompletedProcess(command, process.returncode, out, err)
        else:
            done = run_cli("generate", *args, "-o", str(target), cwd=tmp_path)
    assert done.returncode == code, done.stderr
    assert says in one_error_line(done.stderr)
    assert target.read_text(encoding="utf-8") == OLD
    assert target.stat().st_ino == before.st_ino and target.stat().st_mtime_ns == before.st_mtime_ns
    assert os.listdir(target.parent) == ["brief.md"]
    assert done.stdout == ""


def test_write_atomic_interrupted_at_the_last_step(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interrupt (or any exception) between writing the temporary file and the rename: the old file stays,
    the temporary file goes, the interrupt goes on."""
    target = tmp_path / "brief.md"
    target.write_text(OLD, encoding="utf-8")

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "# New\n")
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(os.listdir(tmp_path)) == ["brief.md"]


def test_write_atomic_on_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "brief.md"
    target.write_text(OLD, encoding="utf-8")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(UsageError, match=r"cannot write .*brief\.md: No space left on device"):
        write_atomic(target, "# New\n" * 1000)
    assert target.read_text(encoding="utf-8") == OLD
    assert sorted(os.listdir(tmp_path)) == ["brief.md"]


# -- atomic output: batch ---------------------------------------------------------------------------------


def test_batch_keeps_outputs_whole_when_articles_or_templates_fail(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for name in ("one", "two", "three"):
        (articles / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "briefs"
    first = run_cli("batch", str(articles), "--out-dir", str(out), "--engine", "extractive", cwd=tmp_path)
    assert first.returncode == 0, first.stderr + first.stdout
    written = {name: (out / f"{name}.md").read_text(encoding="utf-8") for name in ("one", "two", "three")}

    (articles / "two.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 50)  # one article turns binary
    second = run_cli("batch", str(articles), "--out-dir", str(out), "--engine", "extractive", cwd=tmp_path)
    assert second.returncode == 1
    assert "two.txt: " in second.stdout and "is binary, not text" in second.stdout
    assert (out / "two.md").read_text(encoding="utf-8") == written["two"]  # the failed article's old brief stays
    rows = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {Path(row["input"]).name: row["status"] for row in rows} == {
        "one.txt": "skipped", "two.txt": "failed", "three.txt": "skipped"}  # fmt: skip
    assert leftovers(tmp_path) == []

    template = tmp_path / "t.md.j2"
    template.write_text(FAILING_TEMPLATE, encoding="utf-8")
    third = run_cli("batch", str(articles), "--out-dir", str(out), "--engine", "extractive", "--force",
                    "--template", str(template), cwd=tmp_path)  # fmt: skip
    assert third.returncode == 1
    assert (out / "one.md").read_text(encoding="utf-8") == written["one"]
    assert (out / "three.md").read_text(encoding="utf-8") == written["three"]
    assert "Traceback" not in third.stderr
    assert leftovers(tmp_path) == []


# -- Markdown injection -------------------------------------------------------------------------------------

HOSTILE = [
    "# Injected heading",
    "## What",
    "<script>alert('x')</script>",
    "[click here](http://evil.example/phish)",
    "![pixel](http://evil.example/p.gif)",
    "<!-- briefing:checks -->",
    "ends in <!-- briefing:meta -->",
    "`code` and ```fence```",
    "1. ordered",
    "2) ordered too",
    "- bullet",
    "+ plus",
    "* star",
    "> quoted",
    "~~~python",
    "```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "<http://evil.example>",
    "line one\n\n## Second heading\n\n<div>block</div>\n\n- item",
    "***",
    "---",
    "===",
    "Title\n===",
    "cites [S99] and [S3, S4]",
    "[ref]: http://evil.example",
    "<img src=x onerror=alert(1)>",
    "**bold** and _em_ and __strong__",
    "    indented code",
    "trailing backslash \\",
    "a\u2028## after a line separator\u2029## and a paragraph separator\x85## and NEL",
    "\x1b[31mred\x1b[0m \x9b31m",
    "<!--",
    "[unclosed link](",
    "\\# escaped already \\<b\\>",
]


def structure(markdown: str) -> dict[str, Any]:
    """What a CommonMark (+ tables, strikethrough) renderer makes of `markdown`."""
    parser = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(markdown)
    flat: list[Any] = []
    for token in tokens:
        flat.append(token)
        flat.extend(token.children or [])
    headings = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":  # the text a reader sees (escapes resolved)
            headings.append((token.tag, "".join(child.content for child in tokens[i + 1].children or [])))
    count: dict[str, int] = {}
    for token in flat:
        count[token.type] = count.get(token.type, 0) + 1
    return {
        "headings": headings,
        "html": [t.content.strip() for t in flat if t.type in ("html_block", "html_inline")],
        "count": count,
        "text": " ".join(t.content for t in flat if t.type == "text"),
    }


def hostile_brief(texts: list[str]) -> Brief:
    return Brief.model_validate({
        "title": texts[0],
        "what": " ".join(texts),
        "who": [{"name": t, "role": t, "sources": [1]} for t in texts],
        "pledges": [{"text": t, "actor": t, "sources": [9]} for t in texts],
        "obstacles": [{"text": t, "sources": [10]} for t in texts],
        "next_steps": [{"text": t, "actor": None, "when": t, "sources": [16]} for t in texts],
    })  # fmt: skip


def assert_structure_is_the_brief(markdown: str, items: int) -> dict[str, Any]:
    """Exactly the brief's headings, its two markers as the only HTML, no links, images, code, quotes or
    tables, one rule (the footer's), and `items` bullets in each of the four item sections."""
    found = structure(markdown)
    found["headings"] = [h for h in found["headings"] if h != ("h2", "Notes on the source")]  # optional
    assert [tag for tag, _ in found["headings"]] == ["h1"] + ["h2"] * len(SECTIONS)
    assert [text for _, text in found["headings"]][1:] == SECTIONS
    assert found["html"] == MARKERS
    count = found["count"]
    for kind in ("link_open", "image", "code_inline", "code_block", "fence", "blockquote_open", "table_open",
                 "ordered_list_open", "s_open", "lheading"):  # fmt: skip
        assert count.get(kind, 0) == 0, (kind, markdown)
    assert count.get("hr", 0) == 1
    for section in ("## Who", "## Pledges", "## Obstacles", "## Next steps"):
        body = markdown.split(f"\n{section}\n", 1)[1].split("\n## ", 1)[0].split("\n<!--", 1)[0]
        bullets = [line for line in body.splitlines() if line.startswith("- ")]
        assert len(bullets) == items, (section, body)
    assert "\x1b" not in markdown and "\x9b" not in markdown
    return found


SOURCE = load_source(ARTICLE)
META: dict[str, Any] = {"engine": "llm", "model": "m", "attempts": 1, "requests": 1,
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1},
                        "source_sha256": SOURCE.sha256}  # fmt: skip


def render(brief: Brief) -> str:
    return render_markdown(brief, ValidationReport(findings=(), source_sha256=SOURCE.sha256), SOURCE, META)


def test_hostile_text_in_every_field_keeps_the_structure() -> None:
    brief = hostile_brief(HOSTILE)
    markdown = render(brief)
    found = assert_structure_is_the_brief(markdown, len(HOSTILE))
    assert found["headings"][0][1] == "# Injected heading"  # escaped, not dropped: the reader sees the text
    for visible in (
        "<script>alert('x')</script>",
        "[click here](http://evil.example/phish)",
        "<!-- briefing:checks -->",
        "`code` and ```fence```",
        "~~~python",
        "1. ordered",
        "> quoted",
    ):
        assert visible in found["text"], visible


PIECES = [*"#>-+*_=~`|[]()!<>\\/:.1 \n\tabcS9&;", "<!--", "-->", "```", "~~~", "http://x", "\u2028", "\x1b"]


CONTENT = st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join).map(lambda t: t if t.strip() else "x")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CONTENT, min_size=1, max_size=4))
def test_any_markup_in_the_content_keeps_the_structure(texts: list[str]) -> None:
    assert_structure_is_the_brief(render(hostile_brief(texts)), len(texts))


def test_hostile_model_reply_through_the_cli(tmp_path: Path) -> None:
    """The same, end to end: a model that replies with markup everywhere; the validator runs on it too."""
    with ChatServer() as server:
        server.script(reply(json.dumps(hostile_brief(HOSTILE).model_dump())))
        done = run_cli("generate", str(ARTICLE), "--engine", "llm", "--base-url", server.url, "--max-repairs", "0",
                       "--no-strict", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert_structure_is_the_brief(done.stdout, len(HOSTILE))
    assert "Traceback" not in done.stderr and "\x1b" not in done.stderr


def test_hostile_article_through_the_extractive_engine(tmp_path: Path) -> None:
    """Article sentences carrying markup reach the brief (and its figure check) only as text."""
    hostile = [
        "# Canada pledged C$5 billion to Ukraine, officials said on Monday in Ottawa.",
        "> Canada will send 300 soldiers [to Latvia](http://evil.example) by June 2026, the minister said.",
        "<script>alert(1)</script> The coalition of 30 nations plans a meeting in Paris next week.",
        "1. The European Union pledged €2 billion in ![aid](http://evil.example/x.png) for reconstruction.",
        "~~~ The Kremlin rejected the proposal on Tuesday, a spokesman said in Moscow. ~~~",
        "<!-- briefing:checks --> Canada agreed to train 1,000 Ukrainian pilots by 2027 under the plan.",
        "| The plan | costs | C$3 billion | over five years, the finance ministry said in a statement. |",
    ]
    path = tmp_path / "hostile.txt"
    path.write_text("\n\n".join(hostile) + "\n", encoding="utf-8")
    done = run_cli("generate", str(path), "--engine", "extractive", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    found = structure(done.stdout)
    assert [text for _, text in found["headings"] if text != "Notes on the source"][1:] == SECTIONS
    assert found["html"] == MARKERS
    for kind in ("link_open", "image", "code_inline", "fence", "blockquote_open", "table_open", "ordered_list_open"):
        assert found["count"].get(kind, 0) == 0, (kind, done.stdout)
    again = tmp_path / "brief.md"
    again.write_text(done.stdout, encoding="utf-8")
    checked = run_cli("validate", str(again), "--source", str(path), cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr  # the escaped brief still validates


@pytest.mark.parametrize("form", ["markdown", "json"])
def test_control_and_bidi_characters_from_a_server_reach_no_output(form: str, tmp_path: Path) -> None:
    """U+009B (CSI), ESC and U+202E (right-to-left override), sent raw and as JSON escapes, are removed
    from the reply before it reaches the brief, the JSON document or an error line."""
    data = json.loads((BRIEFS / "carney-correct.json").read_text(encoding="utf-8"))
    data["title"] = "Carney \u009b31m visits \u202eKyiv\u202c \x1b[2J"
    data["pledges"][0]["text"] = "\u202e" + data["pledges"][0]["text"]
    with ChatServer() as server:
        server.script(reply(json.dumps(data, ensure_ascii=form == "json")))
        args = ["--format", "json"] if form == "json" else []
        done = run_cli("generate", str(ARTICLE), "--engine", "llm", "--base-url", server.url, "--max-repairs", "0",
                       "--no-strict", *args, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)["brief"]["title"] if form == "json" else done.stdout.splitlines()[0]
    assert "visits Kyiv" in shown
    for char in ("\u009b", "\u202e", "\u202c", "\x1b"):
        assert char not in done.stdout and char not in done.stderr, repr(char)
