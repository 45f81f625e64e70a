"""`briefing batch` as a user runs it (`python -m briefing batch` in a subprocess, against the scripted
server in this process) and `run_batch` as a library: concurrency, failures, exit codes, resume,
the index, inputs, output names, the shared 429 pause, the progress bar and the output formats."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import select
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import paths
import pytest
from chatserver import ChatServer, Request, Step, error, hang, reply
from clirun import Run, run_briefing

from briefing.cli.batch import BatchItem, exit_code, expand_inputs, run_batch
from briefing.config import Settings
from briefing.errors import InputError

ROOT = paths.ROOT
BENCH = ROOT / "bench" / "data" / "extractive"
TOWNS = ["Ashford", "Brookdale", "Carrow", "Dunmere", "Elsworth", "Fernhill", "Glenmoor", "Harwick", "Ironbridge",
         "Juniper", "Kelso", "Lindale", "Marlow", "Northam", "Oakhurst", "Penrith"]  # fmt: skip
INDEX_FIELDS = {"input", "output", "status", "unsupported", "attempts", "tokens", "seconds"}
# A brief with no figures: valid for any article, so every brief made from it is clean.
CLEAN = json.dumps({"title": "A council decision", "what": "A town council made a decision.", "who": [],
                    "pledges": [], "obstacles": [], "next_steps": []})  # fmt: skip
# A brief whose pledge states an amount no article here holds: unsupported whatever the article.
INVENTED = json.dumps({"title": "A council decision", "what": "A town council made a decision.", "who": [],
                       "pledges": [{"text": "The council pledged $987 million for buses.", "actor": "The council",
                                    "sources": [1]}],
                       "obstacles": [], "next_steps": []})  # fmt: skip
BAR = ("━", "\x1b[", "%")  # what a rich progress bar draws


def article_text(town: str, extra: str = "") -> str:
    return (
        f"{town} council approves new bus routes\n\n"
        f"The town council of {town} voted on Tuesday to add three bus routes to the eastern districts.\n\n"
        f"The mayor of {town} said the first route would open in the spring. Residents had asked for better "
        f"service for years.{extra}\n"
    )


def write_articles(folder: Path, count: int, suffix: str = ".txt") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for town in TOWNS[:count]:
        path = folder / f"{town.lower()}{suffix}"
        path.write_text(article_text(town), encoding="utf-8")
        paths.append(path)
    return paths


def user_message(request: Request) -> str:
    return str(request.body["messages"][1]["content"])


def town_of(request: Request) -> str:
    text = user_message(request)
    return next(town for town in TOWNS if f"council of {town}" in text)


def by_town(answers: dict[str, Step], default: Step) -> Callable[[Request], Step]:
    """A server step answering each article's request by the town it is about."""
    return lambda request: answers.get(town_of(request), default)


def max_overlap(arrivals: list[float], duration: float) -> int:
    """The most requests in flight at once, each lasting `duration` from its arrival."""
    return max(sum(1 for s in arrivals if s <= t < s + duration) for t in arrivals)


def index_rows(out_dir: Path) -> dict[str, dict[str, Any]]:
    rows = [json.loads(line) for line in (out_dir / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    return {Path(row["input"]).name: row for row in rows}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or p.name.startswith("."))


def table_row(out: str, name: str) -> list[str]:
    [line] = [line for line in out.splitlines() if line.startswith(name + " ")]
    return line.split()


@pytest.fixture
def batch(tmp_path: Path) -> Callable[..., Run]:
    """Run `python -m briefing batch ...` with a clean environment plus `env`, in tmp_path."""
    return functools.partial(run_briefing, "batch", home=tmp_path, timeout=90)


def llm(server: ChatServer, *more: str) -> list[str]:
    return ["--engine", "llm", "--base-url", server.url, *more]


# -- concurrency -------------------------------------------------------------------------------------


def test_requests_overlap_at_concurrency_4(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 4)
    chat_server.script(hang(0.4, reply(CLEAN)))
    run = batch(*map(str, paths), "--out-dir", str(tmp_path / "out"), "--concurrency", "4", *llm(chat_server))
    assert run.code == 0, run.err
    arrivals = [r.time for r in chat_server.requests]
    assert len(arrivals) == 4  # one request per clean brief
    assert max_overlap(arrivals, 0.4) >= 3
    assert max(arrivals) - min(arrivals) < 0.8  # one after the other, the last would arrive 1.2 s after the first
    assert {row["status"] for row in index_rows(tmp_path / "out").values()} == {"ok"}


@pytest.mark.parametrize("concurrency", [1, 2, 4])
def test_run_batch_runs_at_most_concurrency_articles_at_once(
    chat_server: ChatServer, tmp_path: Path, concurrency: int
) -> None:
    import openai  # noqa: F401  (imported before the clock starts: it takes a second on its own)

    paths = write_articles(tmp_path / "in", 4)
    chat_server.script(hang(0.3, reply(CLEAN)))
    settings = Settings(base_url=chat_server.url, use_cache=False)
    started = time.monotonic()
    items = run_batch(paths, tmp_path / "out", settings=settings, engine="llm", concurrency=concurrency)
    elapsed = time.monotonic() - started
    assert [item.status for item in items] == ["ok"] * 4
    arrivals = [r.time for r in chat_server.requests]
    assert len(arrivals) == 4
    assert max_overlap(arrivals, 0.3) == concurrency
    rounds = -(-4 // concurrency)  # ceil(4 / concurrency) waves of 0.3 s
    assert rounds * 0.3 <= elapsed < rounds * 0.3 + 1.2


def test_run_batch_finds_the_response_format_once(chat_server: ChatServer, tmp_path: Path) -> None:
    """Without a client given, run_batch makes one for all articles: the format fallback is learnt once."""
    paths = write_articles(tmp_path / "in", 3)

    def step(request: Request) -> Step:
        if request.response_format == "json_schema":
            return error(400, "response_format json_schema is not supported", param="response_format")
        return reply(CLEAN)

    chat_server.script(step)
    settings = Settings(base_url=chat_server.url, use_cache=False)
    items = run_batch(paths, tmp_path / "out", settings=settings, engine="llm", concurrency=1)
    assert [item.status for item in items] == ["ok"] * 3
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object", "json_object",
                                                                 "json_object"]  # fmt: skip


def test_results_come_back_in_input_order_and_on_done_sees_each(chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    # The first article is answered last.
    chat_server.script(by_town({"Ashford": hang(0.6, reply(CLEAN))}, default=reply(CLEAN)))
    seen: list[str] = []
    settings = Settings(base_url=chat_server.url, use_cache=False)
    items = run_batch(paths, tmp_path / "out", settings=settings, engine="auto", concurrency=3,
                      on_done=lambda item: seen.append(Path(item.input).name))  # fmt: skip
    assert [Path(item.input).name for item in items] == [p.name for p in paths]
    assert sorted(seen) == sorted(p.name for p in paths) and seen[-1] == "ashford.txt"
    assert all(isinstance(item, BatchItem) and item.requests == 1 for item in items)


# -- failures and exit codes ----------------------------------------------------------------------------


def test_a_binary_and_an_empty_article_fail_alone_and_exit_1(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    good = write_articles(folder, 3)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    chat_server.script(reply(CLEAN))
    out = tmp_path / "out"
    run = batch(str(folder), "--out-dir", str(out), *llm(chat_server))
    assert run.code == 1, run.err
    assert len(chat_server.requests) == 3  # the bad files never reach the model
    rows = index_rows(out)
    assert rows["binary.txt"]["status"] == "failed" and "binary" in rows["binary.txt"]["error"]
    assert rows["empty.txt"]["status"] == "failed" and "empty" in rows["empty.txt"]["error"]
    assert not (out / "binary.md").exists() and not (out / "empty.md").exists()
    for path in good:
        assert rows[path.name]["status"] == "ok"
        assert (out / f"{path.stem}.md").read_text(encoding="utf-8").startswith("# A council decision\n")
    assert table_row(run.out, "binary.txt")[1] == "failed" and table_row(run.out, "empty.txt")[1] == "failed"
    assert table_row(run.out, "ashford.txt")[1] == "ok"
    assert "5 articles: 2 failed, 3 ok." in run.out
    assert re.search(r"^binary\.txt: .*binary", run.out, re.MULTILINE)
    assert "Traceback" not in run.err
    assert leftovers(out) == []


def test_a_model_error_on_one_article_fails_only_that_one(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    chat_server.script(by_town({"Brookdale": error(400, "this request is malformed", type="invalid_request_error")},
                               default=reply(CLEAN)))  # fmt: skip
    out = tmp_path / "out"
    run = batch(*map(str, paths), "--out-dir", str(out), *llm(chat_server))
    assert run.code == 1
    rows = index_rows(out)
    assert rows["brookdale.txt"]["status"] == "failed" and "400" in rows["brookdale.txt"]["error"]
    assert [rows[name]["status"] for name in ("ashford.txt", "carrow.txt")] == ["ok", "ok"]
    assert (out / "ashford.md").is_file() and not (out / "brookdale.md").exists()
    assert len(chat_server.requests) == 3  # a 400 is not retried


def test_unsupported_figures_exit_3_and_are_listed(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    chat_server.script(by_town({"Carrow": reply(INVENTED)}, default=reply(CLEAN)))
    out = tmp_path / "out"
    run = batch(*map(str, paths), "--out-dir", str(out), *llm(chat_server, "--max-repairs", "0"))
    assert run.code == 3, run.err
    rows = index_rows(out)
    assert rows["carrow.txt"]["status"] == "unsupported"
    assert rows["carrow.txt"]["unsupported"] == ["$987 million"]
    assert "$987 million ⚠ unverified" in (out / "carrow.md").read_text(encoding="utf-8")
    assert rows["ashford.txt"]["status"] == "ok" and rows["ashford.txt"]["unsupported"] == []
    assert table_row(run.out, "carrow.txt")[1:3] == ["unsupported", "1"]
    assert len(chat_server.requests) == 3


@pytest.mark.parametrize(
    ("statuses", "code"),
    [(["ok", "ok"], 0), (["ok", "skipped"], 0), (["ok", "unsupported"], 3), (["unsupported", "failed"], 1)],
)
def test_exit_code(statuses: list[str], code: int) -> None:
    items = [BatchItem("a", "b", status=s, unsupported=["$1"] if s == "unsupported" else []) for s in statuses]
    assert exit_code(items) == code


# -- resume --------------------------------------------------------------------------------------------


def test_resume_skips_current_outputs_and_redoes_what_changed(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    chat_server.script(reply(CLEAN))
    out = tmp_path / "out"
    args = [*map(str, paths), "--out-dir", str(out), *llm(chat_server, "--no-cache")]

    def requests_of(*extra: str) -> tuple[Run, int]:
        chat_server.clear()
        run = batch(*args, *extra)
        assert run.code == 0, run.err
        return run, len(chat_server.requests)

    assert requests_of()[1] == 3
    written = {p.name: p.read_bytes() for p in out.glob("*.md")}
    for _ in range(2):  # a re-run, and a re-run of the re-run
        run, sent = requests_of()
        assert sent == 0
        assert {row["status"] for row in index_rows(out).values()} == {"skipped"}
        assert "3 articles: 3 skipped." in run.out
        assert {p.name: p.read_bytes() for p in out.glob("*.md")} == written

    paths[1].write_text(article_text("Brookdale", " The vote was close."), encoding="utf-8")
    run, sent = requests_of()
    assert sent == 1 and "The vote was close." in user_message(chat_server.requests[0])
    rows = index_rows(out)
    assert rows["brookdale.txt"]["status"] == "ok"
    assert rows["brookdale.txt"]["source_sha256"] == hashlib.sha256(paths[1].read_bytes()).hexdigest()
    assert rows["ashford.txt"]["status"] == rows["carrow.txt"]["status"] == "skipped"

    assert requests_of("--force")[1] == 3
    assert requests_of("--model", "another-model")[1] == 3
    assert {r.body["model"] for r in chat_server.requests} == {"another-model"}
    assert requests_of("--model", "another-model")[1] == 0
    assert requests_of("--format", "json")[1] == 3  # another output format is another output
    assert leftovers(out) == []


def test_a_deleted_output_is_redone_and_a_failure_is_retried(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    chat_server.script(by_town({"Brookdale": error(400, "not now", type="invalid_request_error")}, reply(CLEAN)))
    out = tmp_path / "out"
    args = [*map(str, paths), "--out-dir", str(out), *llm(chat_server, "--no-cache")]
    assert batch(*args).code == 1
    chat_server.clear()
    chat_server.script(reply(CLEAN))
    (out / "ashford.md").unlink()
    run = batch(*args)
    assert run.code == 0, run.err
    assert sorted(town_of(r) for r in chat_server.requests) == ["Ashford", "Brookdale"]
    assert {row["status"] for row in index_rows(out).values()} == {"ok"}


def test_a_skipped_article_keeps_its_unsupported_figures_and_exit_3(
    batch, chat_server: ChatServer, tmp_path: Path
) -> None:
    paths = write_articles(tmp_path / "in", 2)
    chat_server.script(by_town({"Ashford": reply(INVENTED)}, default=reply(CLEAN)))
    out = tmp_path / "out"
    args = [*map(str, paths), "--out-dir", str(out), *llm(chat_server, "--no-cache", "--max-repairs", "0")]
    assert batch(*args).code == 3
    chat_server.clear()
    run = batch(*args)
    assert run.code == 3 and chat_server.requests == []
    row = index_rows(out)["ashford.txt"]
    assert row["status"] == "skipped" and row["unsupported"] == ["$987 million"]


def test_a_forced_rerun_is_answered_by_the_cache(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    chat_server.script(reply(CLEAN))
    out = tmp_path / "out"
    args = [*map(str, paths), "--out-dir", str(out), *llm(chat_server)]
    assert batch(*args).code == 0
    written = {p.name: p.read_bytes() for p in out.glob("*.md")}
    chat_server.clear()
    run = batch(*args, "--force")
    assert run.code == 0, run.err
    assert chat_server.requests == []
    assert {row["status"] for row in index_rows(out).values()} == {"ok"}
    assert {row["requests"] for row in index_rows(out).values()} == {0}
    assert {p.name: p.read_bytes() for p in out.glob("*.md")} == written


# -- the index, inputs and outputs ----------------------------------------------------------------------


def test_index_records_each_article(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    chat_server.script(hang(0.2, reply(CLEAN, prompt_tokens=700, completion_tokens=60)))
    out = tmp_path / "out"
    run = batch(*map(str, paths), "--out-dir", str(out), *llm(chat_server))
    assert run.code == 0, run.err
    lines = (out / "index.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    rows = [json.loads(line) for line in lines]
    assert [Path(row["input"]) for row in rows] == [p.resolve() for p in paths]  # in input order
    for row, path in zip(rows, paths, strict=True):
        assert set(row) >= INDEX_FIELDS
        assert Path(row["output"]) == (out / f"{path.stem}.md").resolve() and Path(row["output"]).is_file()
        assert row["status"] == "ok" and row["unsupported"] == [] and row["error"] is None
        assert row["attempts"] == 1 and row["tokens"] == 760 and row["requests"] == 1
        assert 0.2 <= row["seconds"] < 10
        assert row["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert table_row(run.out, "ashford.txt")[1:5] == ["ok", "0", "1", "760"]
    assert run.out.splitlines()[0].split() == ["article", "status", "unsupported", "attempts", "tokens", "seconds"]


def test_folders_and_globs_find_the_articles(batch, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder / "nested" / "deeper", 1)
    (folder / "page.html").write_text(
        "<html><head><title>Dunmere council</title></head><body><article><p>"
        + article_text("Dunmere").replace("\n\n", "</p><p>")
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "notes.md").write_text(article_text("Elsworth"), encoding="utf-8")
    (folder / "data.json").write_text('{"not": "an article"}', encoding="utf-8")
    (folder / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    other = tmp_path / "other"
    write_articles(other, 3)
    out = tmp_path / "out"
    run = batch(str(folder), str(tmp_path / "other" / "b*.txt"), str(other / "carrow.txt"), "--out-dir", str(out),
                "--engine", "extractive")  # fmt: skip
    assert run.code == 0, run.err
    assert sorted(index_rows(out)) == ["ashford.txt", "brookdale.txt", "carrow.txt", "notes.md", "page.html"]
    assert sorted(p.name for p in out.iterdir()) == ["ashford.md", "brookdale.md", "carrow.md", "index.jsonl",
                                                     "notes.md", "page.md"]  # fmt: skip


@pytest.mark.parametrize("args", [["missing.txt"], ["in/*.nothing"]], ids=["missing-file", "empty-glob"])
def test_inputs_that_name_nothing_are_exit_2(batch, tmp_path: Path, args: list[str]) -> None:
    write_articles(tmp_path / "in", 1)
    run = batch(*args, "in/ashford.txt", "--out-dir", "out", "--engine", "extractive")
    assert run.code == 2
    assert run.err.startswith("briefing: error: ") and "Traceback" not in run.err
    assert not (tmp_path / "out").exists()


def test_an_out_dir_that_is_a_file_is_exit_2(batch, tmp_path: Path) -> None:
    [path] = write_articles(tmp_path / "in", 1)
    (tmp_path / "out").write_text("a file", encoding="utf-8")
    run = batch(str(path), "--out-dir", "out", "--engine", "extractive")
    assert run.code == 2 and "not a folder" in run.err


def test_an_out_dir_inside_the_input_folder_is_not_briefed_again(batch, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_articles(folder, 2)
    first = batch(str(folder), "--out-dir", str(folder / "briefs"), "--engine", "extractive")
    assert first.code == 0, first.err
    second = batch(str(folder), "--out-dir", str(folder / "briefs"), "--engine", "extractive")
    assert second.code == 0, second.err
    assert "2 articles: 2 skipped." in second.out
    assert sorted(p.name for p in (folder / "briefs").iterdir()) == ["ashford.md", "brookdale.md", "index.jsonl"]


def test_expand_inputs_drops_duplicates_and_keeps_order(tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 3)
    found = expand_inputs([str(paths[2]), str(tmp_path / "in"), str(tmp_path / "in" / "*.txt")])
    assert found == [paths[2].resolve(), paths[0].resolve(), paths[1].resolve()]
    with pytest.raises(InputError):
        expand_inputs([str(tmp_path / "in" / "*.html")])


def sha_in_footer(markdown: str) -> str:
    match = re.search(r"source sha256: ([0-9a-f]{64})", markdown)
    assert match, markdown[-300:]
    return match.group(1)


def test_duplicate_stems_get_distinct_outputs(batch, tmp_path: Path) -> None:
    sources = []
    for folder, town in (("a", "Fernhill"), ("b", "Glenmoor")):
        (tmp_path / folder).mkdir()
        sources.append(tmp_path / folder / "story.txt")
        sources[-1].write_text(article_text(town), encoding="utf-8")
    sources.append(tmp_path / "a" / "story.html")
    sources[-1].write_text(f"<html><body><article><p>{article_text('Harwick')}</p></article></body></html>",
                           encoding="utf-8")  # fmt: skip
    out = tmp_path / "out"
    run = batch(*map(str, sources), "--out-dir", str(out), "--engine", "extractive")
    assert run.code == 0, run.err
    outputs = [out / "story.md", out / "story-2.md", out / "story-3.md"]
    for source, output in zip(sources, outputs, strict=True):
        assert sha_in_footer(output.read_text(encoding="utf-8")) == hashlib.sha256(source.read_bytes()).hexdigest()
    # A brief's name belongs to its article: alone, or beside new articles, b/story.txt keeps story-2.md
    # (it is current, so skipped), and a/story.txt's story.md is never overwritten.
    (tmp_path / "c").mkdir()
    sources.append(tmp_path / "c" / "story.txt")
    sources[-1].write_text(article_text("Dunmere"), encoding="utf-8")
    for run_of in ([sources[1]], [sources[3], sources[1]]):
        run = batch(*map(str, run_of), "--out-dir", str(out), "--engine", "extractive")
        assert run.code == 0, run.err
        assert "1 skipped." in run.out  # b/story.txt is current
    outputs.append(out / "story-4.md")
    for source, output in zip(sources, outputs, strict=True):
        assert sha_in_footer(output.read_text(encoding="utf-8")) == hashlib.sha256(source.read_bytes()).hexdigest()
    rows = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [Path(row["output"]).name for row in rows] == [p.name for p in outputs]  # merged, not rewritten
    assert leftovers(out) == []


# -- the shared 429 pause ---------------------------------------------------------------------------------


def test_a_429_pauses_every_article(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 6)
    lock, served = threading.Lock(), [0]

    def step(request: Request) -> Step:
        with lock:
            served[0] += 1
            first = served[0] == 1
        if first:
            return error(429, "Rate limit reached", type="rate_limit_error", headers={"Retry-After": "1.5"})
        return hang(0.3, reply(CLEAN))

    chat_server.script(step)
    run = batch(*map(str, paths), "--out-dir", str(tmp_path / "out"), "--concurrency", "3",
                *llm(chat_server, "--no-cache"))  # fmt: skip
    assert run.code == 0, run.err
    times = [r.time for r in chat_server.requests]
    assert len(times) == 7  # six articles, one of them retried
    limited = times[0]
    # Three requests went out together; the two answered at +0.3 s free their threads for the next articles,
    # which must wait for the pause to end: nothing arrives from then until the 1.5 s are over.
    assert [t for t in times if limited + 0.2 < t < limited + 1.4] == []
    assert max(times) - limited >= 1.4


# -- the terminal ----------------------------------------------------------------------------------------


PROGRESS_LINE = re.compile(
    r"^briefing: \[(\d)/4\] (\w+\.txt): (ok|unsupported|failed), (\d+\.\d\d) s"
    r"(?:, (\d+) checked(?:, not supported: (.+))?|: (.+))$"
)


def test_one_progress_line_per_article_when_piped(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    write_articles(tmp_path / "in", 3)
    (tmp_path / "in" / "binary.txt").write_bytes(bytes(range(256)) * 8)
    chat_server.script(by_town({"Brookdale": hang(0.5, reply(INVENTED))}, default=reply(CLEAN)))
    args = [str(tmp_path / "in"), "--out-dir", str(tmp_path / "out"), *llm(chat_server, "--max-repairs", "0")]
    run = batch(*args)
    assert run.code == 1, run.err
    lines = run.err.splitlines()
    assert len(lines) == 4 and all(PROGRESS_LINE.match(line) for line in lines), run.err
    parsed = {m[2]: m for m in map(PROGRESS_LINE.match, lines) if m}
    assert [m[1] for m in map(PROGRESS_LINE.match, lines) if m] == ["1", "2", "3", "4"]
    assert parsed["binary.txt"][3] == "failed" and "is binary, not text" in parsed["binary.txt"][7]
    assert parsed["ashford.txt"][3] == "ok" and parsed["ashford.txt"][5] == "0"
    assert parsed["brookdale.txt"].group(3, 5, 6) == ("unsupported", "1", "$987 million")
    assert lines[-1].startswith("briefing: [4/4] brookdale.txt: ")  # the slow one last, as it finished
    assert not any(mark in run.err or mark in run.out for mark in BAR)
    assert "4 articles: 1 failed, 2 ok, 1 unsupported." in run.out


def test_quiet_prints_only_the_summary(batch, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    run = batch(*map(str, paths), "--out-dir", str(tmp_path / "out"), "--quiet")
    assert run.code == 0, run.err
    assert run.err == ""
    assert "2 articles: 2 ok." in run.out


@contextlib.contextmanager
def terminal() -> Iterator[tuple[int, int]]:
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    try:
        yield master, slave
    finally:
        for fd in (master, slave):
            with contextlib.suppress(OSError):
                os.close(fd)


def test_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    """On a terminal: a bar with done/total, and each failure printed above it."""
    paths = write_articles(tmp_path / "in", 3)
    paths.append(tmp_path / "in" / "binary.txt")
    paths[-1].write_bytes(bytes(range(256)) * 8)
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    environment.update({"PYTHONUTF8": "1", "TERM": "xterm", "COLUMNS": "100"})
    with terminal() as (master, slave):
        process = subprocess.Popen(
            [sys.executable, "-m", "briefing", "batch", *map(str, paths), "--out-dir", str(tmp_path / "out"),
             "--engine", "extractive"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, env=environment, cwd=tmp_path,
        )  # fmt: skip
        os.close(slave)
        drawn = b""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal closed with the process
                    break
                if not chunk:
                    break
                drawn += chunk
            elif process.poll() is not None:
                break
        out = process.communicate(timeout=60)[0].decode("utf-8")
    assert process.returncode == 1
    screen = drawn.decode("utf-8", "replace")
    assert "━" in screen and "4/4" in screen
    assert "binary.txt: failed" in screen  # printed above the bar as it happens
    assert not any(mark in out for mark in ("━", "\x1b["))  # the table on stdout stays plain


# -- formats and engines ------------------------------------------------------------------------------------


def test_json_outputs_parse(batch, chat_server: ChatServer, tmp_path: Path) -> None:
    paths = write_articles(tmp_path / "in", 2)
    chat_server.script(reply(CLEAN))
    out = tmp_path / "out"
    run = batch(*map(str, paths), "--out-dir", str(out), "--format", "json", *llm(chat_server))
    assert run.code == 0, run.err
    for path in paths:
        document = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
        assert set(document) == {"brief", "validation", "meta"}
        assert document["brief"]["title"] == "A council decision"
        assert document["validation"]["ok"] is True
        assert document["meta"]["source_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sorted(p.suffix for p in out.iterdir()) == [".json", ".json", ".jsonl"]


@pytest.mark.parametrize("engine", ["extractive", "auto"])
def test_extractive_batches_need_no_server(batch, tmp_path: Path, engine: str) -> None:
    articles = sorted(BENCH.glob("*.txt"))[:4]
    out = tmp_path / "out"
    run = batch(*map(str, articles), "--out-dir", str(out), "--engine", engine, "--format", "json")
    assert run.code in (0, 3), run.err
    if engine == "auto":
        note = (
            "briefing: extractive engine, offline (an API key in OPENAI_API_KEY or BRIEFING_API_KEY, or --base-url,"
            " switches to the model)"
        )
        assert note in run.err.splitlines()  # one line, one prefix
    rows = index_rows(out)
    assert sorted(rows) == [p.name for p in articles]
    for article in articles:
        row = rows[article.name]
        assert row["status"] in ("ok", "unsupported") and row["requests"] == 0 and row["tokens"] == 0
        document = json.loads((out / f"{article.stem}.json").read_text(encoding="utf-8"))
        assert document["meta"]["engine"] == "extractive"
        assert (row["status"] == "ok") == document["validation"]["ok"]
    again = batch(*map(str, articles), "--out-dir", str(out), "--engine", engine, "--format", "json")
    assert again.code == run.code and "4 articles: 4 skipped." in again.out
