"""Reading an article: bytes or text -> `Source` (clean text, numbered sentences, SHA-256).

Input is a path, "-" for stdin, raw bytes or the article text itself; gzip is inflated wherever it
comes from (known by its content). Bytes are decoded as UTF-8
(with or without a BOM), UTF-16 with a BOM, or, failing UTF-8, Windows-1252/Latin-1 when the bytes
look like text; binary input is refused. HTML is recognised by its content and reduced to the
article's main text; plain text loses its site furniture (see `clean`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from ..errors import InputError
from .clean import clean_text, normalise
from .sentences import Sentence, split_sentences

if TYPE_CHECKING:
    from ..ledger.figures import Figure

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "Memo",
    "Sentence",
    "Source",
    "decode",
    "load_source",
    "read_text",
    "source_from_text",
]

log = logging.getLogger("briefing")

MAX_BYTES = 50_000_000  # larger inputs are refused before anything else is done
# Longer article text (after HTML extraction) is refused: about 150,000 words, ten times the longest
# news feature; cleaning and sentence-splitting it takes seconds, and no model's context holds it.
MAX_CHARS = 1_000_000
_SNIFF = 8192  # characters of a long text looked at to tell HTML (cut down later) from plain text
_PATH_SUFFIXES = (".txt", ".md", ".html", ".htm", ".text", ".markdown", ".xhtml", ".gz")


_T = TypeVar("_T")


class Memo:
    """What the checks derive from one Source (its indexed ledger, its actors, its prepared text), each
    computed once and kept with the Source, so nothing about an article outlives it in a module global.
    Safe to share between threads: a value built twice at once is kept once."""

    def __init__(self) -> None:
        self._values: dict[Hashable, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], _T]) -> _T:
        try:
            value: _T = self._values[key]
            return value
        except KeyError:
            pass
        built = build()
        with self._lock:
            kept: _T = self._values.setdefault(key, built)
        return kept


@dataclass(frozen=True, eq=False)
class Source:
    """An article as the rest of the pipeline sees it."""

    text: str
    sentences: tuple[Sentence, ...]
    sha256: str
    title: str | None = None
    date: str | None = None
    origin: str = "<text>"
    encoding: str = "utf-8"
    html: bool = False
    removed: tuple[str, ...] = field(default=(), repr=False)
    memo: Memo = field(default_factory=Memo, repr=False, compare=False)

    def sentence(self, n: int) -> Sentence:
        """Sentence `n`, counted from 1 as in `[S<n>]`."""
        if not 1 <= n <= len(self.sentences):
            raise KeyError(f"S{n} does not exist: the source has S1..S{len(self.sentences)}")
        return self.sentences[n - 1]

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence whose span holds the character `offset`."""
        lo, hi = 0, len(self.sentences) - 1
        while lo <= hi:
            mid = (lo + hi) // 2
            s = self.sentences[mid]
            if offset < s.start:
                hi = mid - 1
            elif offset >= s.end:
                lo = mid + 1
            else:
                return s
        return None

    @property
    def words(self) -> int:
        return len(self.text.split())

    @cached_property
    def figures(self) -> list[Figure]:
        """The source's figure ledger, computed once per Source."""
        from ..ledger.figures import extract_figures

        return extract_figures(self.text, sentences=self.sentences)

    def numbered(self) -> str:
        """One sentence per line, each line starting `[S<n>] `."""
        return "\n".join(f"[S{s.n}] {s.text}" for s in self.sentences)


def decode(data: bytes, origin: str = "input") -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises InputError for binary or undecodable data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", origin), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", origin), "utf-16"
    if b"\x00" in data[:8192]:
        evens, odds = data[0:8192:2], data[1:8192:2]
        if odds.count(0) > len(odds) * 0.4 and evens.count(0) < len(evens) * 0.1:
            return _strict(data, "utf-16-le", origin), "utf-16-le"
        if evens.count(0) > len(evens) * 0.4 and odds.count(0) < len(odds) * 0.1:
            return _strict(data, "utf-16-be", origin), "utf-16-be"
        raise InputError(f"{origin} is binary, not text", hint="give a UTF-8 text or HTML file")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    controls = sum(1 for b in data[:65536] if b < 32 and b not in b"\t\n\r\f")
    if controls > len(data[:65536]) * 0.01:
        raise InputError(f"{origin} is binary, not text", hint="give a UTF-8 text or HTML file")
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _strict(data: bytes, encoding: str, origin: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{origin} is not valid {encoding.upper()} (byte {exc.start})", hint="re-save it as UTF-8"
        ) from None


def _read(target: str | Path, stdin: BinaryIO | None) -> tuple[bytes, str]:
    if str(target) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return _gunzipped(stream.read(MAX_BYTES + 1), "<stdin>"), "<stdin>"
    path = Path(target)
    try:
        if path.is_dir():
            raise InputError(f"{path} is a directory, not an article", hint="give a file, or use `briefing batch`")
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        if re.match(r"(?i)https?:/{1,2}[^/\s]", str(target)):  # a Path turns "https://" into "https:/"
            url = re.sub(r"(?i)^(https?):/+", r"\1://", str(target))
            raise InputError(
                f"{url} is a web address; briefing reads files and stdin, it does not fetch pages",
                hint=f"save the page and give the file: curl -sL -o article.html '{url}'",
            ) from None
        raise InputError(f"{path}: no such file", hint="check the path") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied", hint="check the file's permissions") from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read it: {exc.strerror or exc.__class__.__name__}", hint="check the file"
        ) from None
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        data = _gunzip(data, str(path))
    return data, str(path)


def _gunzipped(data: bytes, origin: str) -> bytes:
    """`data`, inflated when it is gzip (known by its first two bytes, whatever the name)."""
    return _gunzip(data, origin) if data[:2] == b"\x1f\x8b" else data


def _gunzip(data: bytes, origin: str) -> bytes:
    import gzip
    import io
    import zlib

    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as handle:
            return handle.read(MAX_BYTES + 1)
    except (OSError, EOFError, zlib.error):
        raise InputError(f"{origin} is not a readable gzip file", hint="give the article uncompressed") from None


def _looks_like_path(text: str) -> bool:
    if "\n" in text or len(text) > 1024:
        return False
    return Path(text).exists() or text.lower().endswith(_PATH_SUFFIXES) or ("/" in text and " " not in text)


def load_source(
    source: str | Path | bytes | Source, *, stdin: BinaryIO | None = None, origin: str | None = None
) -> Source:
    """Read an article from a path, "-" (stdin), bytes, or the text itself, and clean it."""
    if isinstance(source, Source):
        return source
    if isinstance(source, bytes):
        data, where = _gunzipped(source, origin or "<bytes>"), origin or "<bytes>"
    elif isinstance(source, Path) or source == "-" or _looks_like_path(source):
        data, where = _read(source, stdin)
    else:
        return source_from_text(source, origin=origin or "<text>")
    if len(data) > MAX_BYTES:
        raise InputError(f"{where} is larger than {MAX_BYTES // 1_000_000} MB", hint="give one article at a time")
    text, encoding = decode(data, where)
    if encoding not in ("utf-8", "utf-8-sig"):
        log.info("%s is not UTF-8: read as %s", where, encoding)
    return source_from_text(text, origin=origin or where, raw=data, encoding=encoding)


def read_text(target: str | Path, *, stdin: BinaryIO | None = None) -> str:
    """A file or stdin ("-"), decoded and normalised by the rules articles are (so no control characters
    reach a report), but not cleaned of furniture (for briefs)."""
    data, where = _read(target, stdin)
    if len(data) > MAX_BYTES:
        raise InputError(f"{where} is larger than {MAX_BYTES // 1_000_000} MB", hint="give one brief at a time")
    raw, _ = decode(data, where)
    if len(raw) > MAX_CHARS:
        raise _too_long(where, len(raw))
    text = normalise(raw)
    if not text.strip():  # zero-width and control characters are nothing too
        raise InputError(f"{where} is empty" if not raw else f"{where} holds only whitespace", hint="give the text")
    return text


def _too_long(origin: str, chars: int) -> InputError:
    return InputError(
        f"{origin} is too long: {chars:,} characters of text, over the limit of {MAX_CHARS:,}",
        hint="give one article at a time",
    )


def source_from_text(text: str, *, origin: str = "<text>", raw: bytes | None = None, encoding: str = "utf-8") -> Source:
    """Build a Source from decoded text: HTML extraction, furniture removal, sentence numbering."""
    from .html import looks_like_html

    if len(text) > MAX_CHARS and not looks_like_html(normalise(text[:_SNIFF])):
        raise _too_long(origin, len(text))  # before any slow work; a page is measured after extraction
    digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
    text = normalise(text)
    if not text.strip():
        raise InputError(f"{origin} is empty" if not text else f"{origin} holds only whitespace",
                         hint="give the article's text")  # fmt: skip
    title: str | None = None
    date: str | None = None
    is_html = looks_like_html(text)
    if is_html:
        from .html import extract_article

        article = extract_article(text)
        text, title, date = normalise(article.text), article.title, article.date
    if len(text) > MAX_CHARS:
        raise _too_long(origin, len(text))
    cleaned = clean_text(text, title=title)
    sentences = split_sentences(cleaned.paragraphs)
    if not sentences:
        what = "an HTML page with no article text" if is_html else "no article text"
        raise InputError(f"{origin} has {what}", hint="give the article's text or its web page")
    return Source(
        text="\n\n".join(cleaned.paragraphs),
        sentences=tuple(sentences),
        sha256=digest,
        title=cleaned.title,
        date=date or cleaned.dateline,
        origin=origin,
        encoding=encoding,
        html=is_html,
        removed=cleaned.removed,
    )
