"""`briefing learn`: the offline engine's weights refitted on a model's briefs of the user's articles.

The briefs are `generate --format json` files or folders written by `batch --format json` (their
`index.jsonl` names each brief's article). Each brief's article is found by the `source_sha256` the
brief records: beside the brief, in a batch's index, or among `--articles`. Every sentence an item
cites is a label of that item's section; the shipped labelled sentences are added unless
`--no-shipped`. The fit (`engines.extractive.learn`) cross-validates, chooses the thresholds, and
the weights file is written atomically.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from .batch import expand_inputs
from .outdir import ARTICLE_SUFFIXES, INDEX, read_index

__all__ = ["MIN_BRIEFS", "Learnt", "learn_weights"]

MIN_BRIEFS = 5  # one article per cross-validation fold, at least


@dataclass(frozen=True)
class Learnt:
    """What `learn_weights` did: briefs and sentences used, the cross-validated F1 on the briefs' own
    sentences per section, the thresholds chosen, and the file written."""

    briefs: int
    sentences: int
    shipped: int
    f1: dict[str, float]
    thresholds: tuple[float, ...]
    output: Path

    def summary(self) -> str:
        mean = statistics.mean(self.f1.values())
        scores = ", ".join(f"{s.replace('_', ' ')} {f:.2f}" for s, f in self.f1.items())
        shipped = f" and {self.shipped} shipped labelled sentences" if self.shipped else ""
        return (
            f"learnt from {self.briefs} briefs ({self.sentences} sentences){shipped}; cross-validated F1 on "
            f"your briefs' sentences: {scores} (mean {mean:.2f}); wrote {self.output} "
            f"(use it with --weights {self.output} or BRIEFING_WEIGHTS)"
        )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    except ValueError:
        raise InputError(f"{path} is not JSON", hint="give briefs written by `generate --format json`") from None


def _briefs(inputs: Iterable[str]) -> Iterator[tuple[Path, Path | None]]:
    """(brief file, its article if an index names it) for every brief given: files, or batch folders."""
    for raw in inputs:
        path = Path(raw)
        if path.is_dir():
            index = path / INDEX
            if not index.is_file():
                raise InputError(
                    f"{path} is a folder without {INDEX}", hint="give brief files or a batch output folder"
                )
            for row in read_index(index).values():
                output = str(row.get("output", ""))
                if row.get("status") in ("ok", "unsupported", "skipped") and output.endswith(".json"):
                    yield path / Path(output).name, Path(str(row["input"]))
        elif path.is_file():
            yield path, None
        else:
            raise InputError(f"{path}: no such file", hint="give briefs written by `generate --format json`")


def _article(brief_path: Path, digest: str, named: Path | None, pool: dict[str, Path]) -> Path:
    if named is not None and named.is_file() and _digest(named) == digest:
        return named
    for suffix in ARTICLE_SUFFIXES:  # beside the brief, under the same name
        beside = brief_path.with_suffix(suffix)
        if beside.is_file() and _digest(beside) == digest:
            return beside
    if digest in pool:
        return pool[digest]
    raise InputError(
        f"{brief_path}: its article is not found (no file with its source_sha256)",
        hint="give the articles with --articles FILE_OR_FOLDER",
    )


def collected(inputs: list[str], articles: list[str]) -> list[tuple[str, dict[str, Any], list[str]]]:
    """(name, brief, the article's sentences) for every brief given; a brief that is not one, or that
    the extractive engine made, is an InputError."""
    from ..source.article import load_source

    pool = {_digest(p): p for p in expand_inputs(articles)} if articles else {}
    out = []
    for brief_path, named in _briefs(inputs):
        data = _read_json(brief_path)
        brief = data.get("brief") if isinstance(data, dict) else None
        meta = data.get("meta") if isinstance(data, dict) else None
        if not isinstance(brief, dict) or not isinstance(meta, dict) or not isinstance(meta.get("source_sha256"), str):
            raise InputError(f"{brief_path} is not a brief", hint="give briefs written by `generate --format json`")
        if meta.get("engine") != "llm":
            raise InputError(
                f"{brief_path} was made by the {meta.get('engine')} engine, not a model",
                hint="learn from briefs made with --engine llm",
            )
        source = load_source(_article(brief_path, meta["source_sha256"], named, pool))
        out.append((str(brief_path), brief, [s.text for s in source.sentences]))
    return out


def learn_weights(inputs: list[str], output: Path, *, articles: list[str], shipped: bool = True) -> Learnt:
    """Fit the offline engine on the briefs `inputs` (and the shipped labels) and write `output`."""
    from ..engines.extractive.filing import cue_data, load_cues, weights_data
    from ..engines.extractive.labels import brief_labels
    from ..engines.extractive.learn import (
        Setting,
        cross_validate,
        examples_of,
        fit,
        scores,
        shipped_examples,
        thresholds,
        weights_file,
    )
    from .output import check_target, write_atomic

    check_target(output)
    briefs = collected(inputs, articles)
    if len(briefs) < MIN_BRIEFS:
        raise UsageError(
            f"{len(briefs)} brief{'s' if len(briefs) != 1 else ''} are too few to learn from (at least {MIN_BRIEFS})",
            hint="brief more articles with `batch --engine llm --format json`",
        )
    c = load_cues(cue_data())
    mine = []
    for name, brief, sentences in briefs:
        try:
            labels = brief_labels(brief, sentences)
        except ValueError as exc:
            raise InputError(f"{name}: {exc}") from None
        mine += examples_of(labels, name, "model", c)
    base = shipped_examples() if shipped else []
    setting = Setting(**weights_data()["note"]["setting"])
    held = cross_validate([*base, *mine], c, setting)
    cut = thresholds(held)
    names = {b[0] for b in briefs}
    f1 = {s: v[2] for s, v in scores([h for h in held if h[0].article in names], cut).items()}
    weights = fit([*base, *mine], c, setting)
    note = {"setting": vars(setting), "briefs": len(briefs), "sentences": len(mine), "shipped": len(base),
            "cv_f1": {s: round(v, 3) for s, v in f1.items()}}  # fmt: skip
    write_atomic(output, json.dumps(weights_file(weights, cut, note), ensure_ascii=False) + "\n")
    return Learnt(len(briefs), len(mine), len(base), f1, cut, output)
