"""Writing outputs: files atomically (a temporary file beside the target, then a rename), and stdout.

A failed or interrupted run leaves an existing output untouched and no temporary file behind. A
write that fails (read-only folder, full disk, too many open files) is a WriteError that names the
path and the system's reason.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from ..errors import WriteError

__all__ = ["check_target", "write_atomic", "write_failure"]


def check_target(path: Path) -> Path:
    """The folder `path` will be written in; WriteError when `path` is a folder or its folder is missing."""
    directory = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise WriteError(f"cannot write {path}: it is a directory", hint="give a file name, not a folder")
    if not directory.is_dir():
        raise WriteError(f"cannot write {path}: folder {directory} does not exist",
                         hint="create the folder first, or write elsewhere")  # fmt: skip
    return directory


def write_failure(where: str, exc: OSError) -> WriteError:
    """`cannot write WHERE: REASON (what to do)` for an OSError met while writing."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = "free some space, or write elsewhere"
    elif exc.errno in (errno.EMFILE, errno.ENFILE):
        hint = "close some files, or raise the limit with `ulimit -n`"
    else:
        hint = "check the folder's permissions, or write elsewhere"
    return WriteError(f"cannot write {where}: {exc.strerror or type(exc).__name__}", hint=hint)


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8) in one step."""
    directory = check_target(path)
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        with contextlib.suppress(OSError):
            os.chmod(temporary, 0o644 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        _discard(temporary)
        raise write_failure(str(path), exc) from None
    except BaseException:
        _discard(temporary)
        raise


def _discard(temporary: str | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
