"""`briefing batch --via batch-api` as a user runs it (a subprocess against the scripted server's Batch
API): a whole run, per-article failures, a kill during polling and `--resume`, and the usage errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from chatserver import BatchPlan, ChatServer, Request, Step, error, reply
from clirun import run_briefing

CLEAN = json.dumps({"title": "A council decision", "what": "A town council made a decision.", "who": [],
                    "pledges": [], "obstacles": [], "next_steps": []})  # fmt: skip
FAST = {"BRIEFING_BATCH_POLL": "0.02"}


def articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"town{n:03d}.txt"
        path.write_text(f"Town {n} council approves bus routes\n\nThe council of Town {n} voted on Tuesday to add "
                        f"bus routes.\n\nThe mayor of Town {n} said the first route would open in spring.\n",
                        encoding="utf-8")  # fmt: skip
        paths.append(path)
    return paths


def town(request: Request) -> int:
    text = request.body["messages"][1]["content"]
    return int(text.split("The council of Town ", 1)[1].split(" ", 1)[0])


def index_rows(out: Path) -> dict[str, dict[str, object]]:
    rows = [json.loads(line) for line in (out / "index.jsonl").read_text(encoding="utf-8").splitlines()]
    return {Path(str(row["input"])).name: row for row in rows}


def via(server: ChatServer, folder: Path, out: Path, *more: str) -> list[str]:
    return ["batch", str(folder), "--out-dir", str(out), "--via", "batch-api", "--base-url", server.url, *more]


def test_a_batch_of_50_articles_through_the_batch_api(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    chat_server.plan_batches(BatchPlan(polls=2))
    articles(tmp_path / "in", 50)
    out = tmp_path / "out"
    done = run_briefing(*via(chat_server, tmp_path / "in", out), home=tmp_path, env=FAST)
    assert done.code == 0, done.err
    assert "50 articles: 50 ok." in done.out
    [batch] = chat_server.batches
    assert f"batch {batch['id']}: 50 of 50 requests completed, 0 failed (completed)" in done.err
    rows = index_rows(out)
    assert len(rows) == 50 and {row["status"] for row in rows.values()} == {"ok"}
    assert len(list(out.glob("*.md"))) == 50
    again = run_briefing(*via(chat_server, tmp_path / "in", out), home=tmp_path, env=FAST)
    assert again.code == 0 and "50 skipped" in again.out and len(chat_server.batches) == 1  # nothing redone


def test_format_html_through_the_batch_api_writes_pages_and_their_index(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.script(reply(CLEAN))
    articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    done = run_briefing(*via(chat_server, tmp_path / "in", out, "--format", "html"), home=tmp_path, env=FAST)
    assert done.code == 0, done.err
    pages = sorted(p.name for p in out.glob("*.html"))
    assert pages == ["index.html", "town000.html", "town001.html", "town002.html"] and not list(out.glob("*.md"))
    assert (out / "town001.html").read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f'href="./town00{n}.html"' in index for n in range(3)), index[:500]
    assert {str(row["output"]).rsplit("/", 1)[-1] for row in index_rows(out).values()} == set(pages) - {"index.html"}


def test_failed_lines_are_failed_articles_and_exit_1(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(lambda r: error(500, "the GPU fell over") if town(r) == 1 else reply(CLEAN))
    articles(tmp_path / "in", 3)
    out = tmp_path / "out"
    done = run_briefing(*via(chat_server, tmp_path / "in", out), home=tmp_path, env=FAST)
    assert done.code == 1
    assert "town001.txt: the request failed in the batch (HTTP 500): the GPU fell over" in done.out
    assert index_rows(out)["town001.txt"]["status"] == "failed" and not (out / "town001.md").exists()
    assert index_rows(out)["town002.txt"]["status"] == "ok"


def test_a_kill_during_polling_then_resume_briefs_everything_exactly_once(
    chat_server: ChatServer, tmp_path: Path
) -> None:
    chat_server.script(reply(CLEAN))
    chat_server.plan_batches(BatchPlan(polls=25))
    articles(tmp_path / "in", 12)
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "BRIEFING_"))}
    env.update(FAST, BRIEFING_CACHE_DIR=str(tmp_path / "cache"), PYTHONUTF8="1")
    process = subprocess.Popen([sys.executable, "-m", "briefing", *via(chat_server, tmp_path / "in", out)],
                               env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not any(r.path.startswith("/v1/batches/") for r in chat_server.requests):  # polling has begun
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    [batch] = chat_server.batches
    assert batch["status"] == "in_progress" and not chat_server.answered
    refused = run_briefing(*via(chat_server, tmp_path / "in", out), home=tmp_path, env=FAST)
    assert refused.code == 2 and f"batch {batch['id']} of an earlier run is not finished" in refused.err
    assert "--resume" in refused.err
    resumed = run_briefing(*via(chat_server, tmp_path / "in", out, "--resume"), home=tmp_path, env=FAST)
    assert resumed.code == 0, resumed.err
    assert len(chat_server.batches) == 1  # the same batch polled, none submitted again
    assert Counter(town(r) for r in chat_server.answered) == Counter(range(12))  # each request answered once
    rows = index_rows(out)
    assert len(rows) == 12 and {row["status"] for row in rows.values()} == {"ok"}
    assert sorted(p.name for p in out.glob("*.md")) == [f"town{n:03d}.md" for n in range(12)]


def test_the_batch_api_needs_the_llm_engine_and_resume_needs_a_batch(chat_server: ChatServer, tmp_path: Path) -> None:
    articles(tmp_path / "in", 1)
    offline = run_briefing("batch", str(tmp_path / "in"), "--out-dir", str(tmp_path / "o"), "--via", "batch-api",
                           "--engine", "extractive", home=tmp_path)  # fmt: skip
    assert offline.code == 2 and "--via batch-api needs the llm engine" in offline.err
    nothing = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "o", "--resume"), home=tmp_path)
    assert nothing.code == 2 and "has no batch to resume" in nothing.err


def test_resume_and_repair_sync_go_with_the_batch_api(chat_server: ChatServer, tmp_path: Path) -> None:
    articles(tmp_path / "in", 1)
    for flag in ("--resume", "--repair-sync"):
        run = run_briefing("batch", str(tmp_path / "in"), "--out-dir", str(tmp_path / "o"), "--base-url",
                           chat_server.url, flag, home=tmp_path)  # fmt: skip
        assert run.code == 2 and "--resume and --repair-sync go with --via batch-api" in run.err
    assert not chat_server.requests


# the reply cache ---------------------------------------------------------------------------------


def chat_requests(server: ChatServer) -> list[Request]:
    return [r for r in server.requests if r.path.endswith("/chat/completions")]


def cached_replies(home: Path) -> list[Path]:
    return list((home / "cache" / "replies").glob("*/*.json"))


def test_replies_of_the_batch_api_answer_a_later_generate_and_batch(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    articles(tmp_path / "in", 3)
    first = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "out"), home=tmp_path, env=FAST)
    assert first.code == 0, first.err
    assert len(chat_server.answered) == 3 and len(cached_replies(tmp_path)) == 3
    for n in range(3):  # the key a synchronous request has: answered from the cache, nothing sent
        done = run_briefing("generate", str(tmp_path / "in" / f"town00{n}.txt"), "--base-url", chat_server.url,
                            home=tmp_path)  # fmt: skip
        assert done.code == 0, done.err
        assert done.out.startswith("# A council decision")
    sync = run_briefing("batch", str(tmp_path / "in"), "--out-dir", str(tmp_path / "sync"), "--base-url",
                        chat_server.url, home=tmp_path)  # fmt: skip
    assert sync.code == 0 and "3 articles: 3 ok." in sync.out
    assert chat_requests(chat_server) == []


def test_a_second_batch_api_run_of_cached_articles_creates_no_batch(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    articles(tmp_path / "in", 3)
    assert run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "out"), home=tmp_path, env=FAST).code == 0
    uploads = len([r for r in chat_server.requests if r.path.startswith("/v1/files")])
    again = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "out", "--force"), home=tmp_path, env=FAST)
    assert again.code == 0, again.err
    assert "3 articles: 3 ok." in again.out
    assert "3 of 3 articles answered from the reply cache; no batch needed" in again.err
    assert len(chat_server.batches) == 1 and len(chat_server.answered) == 3
    assert len([r for r in chat_server.requests if r.path.startswith("/v1/files")]) == uploads  # nothing uploaded
    assert sorted(p.name for p in (tmp_path / "out").glob("*.md")) == ["town000.md", "town001.md", "town002.md"]


def test_a_partly_cached_run_submits_only_the_uncached_articles(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    paths = articles(tmp_path / "in", 5)
    assert run_briefing("generate", str(paths[1]), "--base-url", chat_server.url, home=tmp_path).code == 0
    assert run_briefing(*via(chat_server, tmp_path / "in" / "town003.txt", tmp_path / "o1"), home=tmp_path,
                        env=FAST).code == 0  # fmt: skip
    assert [town(r) for r in chat_server.answered] == [3]
    done = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "out"), home=tmp_path, env=FAST)
    assert done.code == 0, done.err
    assert "5 articles: 5 ok." in done.out
    assert "2 of 5 articles answered from the reply cache; 3 in the batch" in done.err
    assert len(chat_server.batches) == 2
    assert sorted(town(r) for r in chat_server.answered[1:]) == [0, 2, 4]
    assert {row["status"] for row in index_rows(tmp_path / "out").values()} == {"ok"}


def test_no_cache_neither_reads_nor_writes_the_cache(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    articles(tmp_path / "in", 2)
    off = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "o1", "--no-cache"), home=tmp_path, env=FAST)
    assert off.code == 0, off.err
    assert cached_replies(tmp_path) == []
    assert run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "o2"), home=tmp_path, env=FAST).code == 0
    assert len(cached_replies(tmp_path)) == 2
    unread = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "o3", "--no-cache"), home=tmp_path, env=FAST)
    assert unread.code == 0, unread.err
    assert len(chat_server.batches) == 3 and len(chat_server.answered) == 6  # sent again, the cache unread
    assert "reply cache" not in unread.err


def test_failed_and_unparsable_results_are_not_cached(chat_server: ChatServer, tmp_path: Path) -> None:
    failing = {1}

    def script(request: Request) -> Step:
        if town(request) in failing:
            return error(500, "the GPU fell over")
        if town(request) == 2 and len(request.body["messages"]) == 2:
            return reply("this is not a JSON object")  # the first reply; its repair is answered well
        return reply(CLEAN)

    chat_server.script(script)
    paths = articles(tmp_path / "in", 3)
    done = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "out"), home=tmp_path, env=FAST)
    assert done.code == 1 and index_rows(tmp_path / "out")["town001.txt"]["status"] == "failed"
    assert index_rows(tmp_path / "out")["town002.txt"]["status"] == "ok"
    assert len(chat_server.batches) == 2  # the repair of town 2 in a second batch
    assert len(cached_replies(tmp_path)) == 2  # town 0's reply and town 2's repaired one
    failing.clear()
    for n, sent in ((0, 0), (1, 1), (2, 1)):  # town 2: its first request sent again, its repair from the cache
        before = len(chat_requests(chat_server))
        run = run_briefing("generate", str(paths[n]), "--base-url", chat_server.url, home=tmp_path)
        assert run.code == 0, run.err
        assert len(chat_requests(chat_server)) - before == sent, n


def test_a_cached_reply_needing_a_repair_sends_only_the_repair(chat_server: ChatServer, tmp_path: Path) -> None:
    invented = json.dumps({**json.loads(CLEAN), "pledges": [{"text": "The council pledged $987 million.",
                                                              "actor": "The council", "sources": [1]}]})  # fmt: skip
    chat_server.script(lambda r: reply(invented if len(r.body["messages"]) == 2 else CLEAN))
    [path] = articles(tmp_path / "in", 1)
    unrepaired = run_briefing("generate", str(path), "--base-url", chat_server.url, "--max-repairs", "0", home=tmp_path)
    assert unrepaired.code == 3 and len(cached_replies(tmp_path)) == 1  # the first reply, with its invented amount
    done = run_briefing(*via(chat_server, tmp_path / "in", tmp_path / "out"), home=tmp_path, env=FAST)
    assert done.code == 0, done.err
    assert "1 of 1 articles answered from the reply cache; no batch needed" in done.err
    [batch] = chat_server.batches  # the repair alone
    [line] = chat_server.file_bytes(batch["input_file_id"]).decode().splitlines()
    assert json.loads(line)["custom_id"].endswith("#repair1")
    row = index_rows(tmp_path / "out")["town000.txt"]
    assert row["status"] == "ok" and row["attempts"] == 2 and row["requests"] == 1
