"""Writing files atomically: a temporary file beside the target, then a rename.

A failed or interrupted run leaves an existing output untouched and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import UsageError

__all__ = ["check_target", "write_atomic"]


def check_target(path: Path) -> Path:
    """The folder `path` will be written in; UsageError when `path` is a folder or its folder is missing."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise UsageError(f"{path} is a directory", hint="give a file name to -o")
    if not directory.is_dir():
        raise UsageError(f"cannot write {path}: folder {directory} does not exist")
    return directory


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step."""
    directory = check_target(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
