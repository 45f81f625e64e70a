"""Briefing through the Batch API (`briefing.engines.llm.batchapi`) against the scripted server's
`/v1/files` and `/v1/batches`, with the real `openai` client: whole runs, failed lines and the error
file, expired, cancelled and failed batches, repairs in a second batch or at once, resuming, splitting."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from chatserver import BatchPlan, ChatServer, Request, Step, error, reply

from briefing.config import Settings
from briefing.engines.llm.batchapi import STATE, Job, Limits, Poll, brief_via_batch_api, job_key
from briefing.errors import BriefingError, EndpointError, ModelResponseError, UsageError
from briefing.pipeline import BriefResult, generate_brief

# A brief with no figures: valid for any article here.
CLEAN = json.dumps({"title": "A council decision", "what": "A town council made a decision.", "who": [],
                    "pledges": [], "obstacles": [], "next_steps": []})  # fmt: skip
# An amount no article holds: a repair is asked for.
INVENTED = json.dumps({"title": "A council decision", "what": "A town council made a decision.", "who": [],
                       "pledges": [{"text": "The council pledged $987 million for buses.", "actor": "The council",
                                    "sources": [1]}], "obstacles": [], "next_steps": []})  # fmt: skip
FAST = Poll(first=0.01, factor=1.5, cap=0.05)


def articles(folder: Path, count: int) -> list[Job]:
    folder.mkdir(parents=True, exist_ok=True)
    jobs = []
    for n in range(count):
        path = folder / f"town{n:03d}.txt"
        path.write_text(
            f"Town {n} council approves new bus routes\n\nThe council of Town {n} voted on Tuesday to add bus "
            f"routes.\n\nThe mayor of Town {n} said the first route would open in the spring.\n",
            encoding="utf-8",
        )
        jobs.append(Job(job_key(path, path.with_suffix(".md")), path))
    return jobs


def settings(server: ChatServer, **more: Any) -> Settings:
    return Settings.resolve(env={}, base_url=server.url, timeout=10.0, use_cache=False, **more)


def run(server: ChatServer, jobs: list[Job], state: Path, **more: Any) -> dict[str, BriefResult | BriefingError]:
    options: dict[str, Any] = {"poll": FAST, "fingerprint": "f1"}
    options.update(more)
    given = {k: options.pop(k) for k in ("max_repairs", "max_input_tokens") if k in options}
    results = brief_via_batch_api(jobs, state, settings=settings(server, **given), **options)
    return {job.key: outcome for job, outcome in results}


def town(request: Request) -> int:
    text = request.body["messages"][1]["content"]
    return int(text.split("The council of Town ", 1)[1].split(" ", 1)[0])


def custom_ids(server: ChatServer, batch: dict[str, Any]) -> list[str]:
    data = server.file_bytes(batch["input_file_id"]).decode()
    return [json.loads(line)["custom_id"] for line in data.splitlines()]


def test_a_batch_of_50_articles_end_to_end(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN, prompt_tokens=300, completion_tokens=40))
    chat_server.plan_batches(BatchPlan(polls=3))
    jobs = articles(tmp_path / "in", 50)
    lines: list[str] = []
    results = run(chat_server, jobs, tmp_path / "state", progress=lines.append)
    assert list(results) == [job.key for job in jobs]
    assert all(isinstance(r, BriefResult) and r.ok for r in results.values())
    [batch] = chat_server.batches
    assert batch["endpoint"] == "/v1/chat/completions" and batch["completion_window"] == "24h"
    assert custom_ids(chat_server, batch) == [job.key for job in jobs]
    assert Counter(town(r) for r in chat_server.answered) == Counter(range(50))  # each request answered once
    assert not [r for r in chat_server.requests if r.path.endswith("/chat/completions")]  # nothing synchronous
    first = results[jobs[0].key]
    assert isinstance(first, BriefResult)
    assert first.meta["via"] == "batch-api" and first.meta["batches"] == [batch["id"]]
    assert first.meta["requests"] == 1 and first.meta["usage"] == {"prompt_tokens": 300, "completion_tokens": 40}
    assert lines[-1] == f"batch {batch['id']}: 50 of 50 requests completed, 0 failed (completed)"
    assert any("in_progress" in line for line in lines)
    upload = next(r for r in chat_server.requests if r.path.endswith("/files"))
    assert b'name="purpose"\r\n\r\nbatch' in upload.raw


def test_a_batch_request_is_the_synchronous_request(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    [job] = articles(tmp_path / "in", 1)
    generate_brief(job.path, engine="llm", settings=settings(chat_server))
    synchronous = chat_server.requests[0].body
    run(chat_server, [job], tmp_path / "state")
    [line] = chat_server.answered
    assert line.body == synchronous and line.path == "/v1/chat/completions"


def test_failed_lines_and_the_error_file_are_reported_per_article(chat_server: ChatServer, tmp_path: Path) -> None:
    jobs = articles(tmp_path / "in", 6)
    chat_server.script(lambda r: error(500, "the GPU fell over") if town(r) == 2 else reply(CLEAN))
    chat_server.plan_batches(BatchPlan(failed={jobs[4].key: "request timed out in the batch"}))
    results = run(chat_server, jobs, tmp_path / "state")
    [batch] = chat_server.batches
    assert batch["error_file_id"] and batch["output_file_id"]
    assert (batch["request_counts"]["completed"], batch["request_counts"]["failed"]) == (4, 2)
    failed = {k: str(v) for k, v in results.items() if isinstance(v, BriefingError)}
    assert set(failed) == {jobs[2].key, jobs[4].key}
    assert "failed in the batch (HTTP 500): the GPU fell over" in failed[jobs[2].key]
    assert "server_error: request timed out in the batch" in failed[jobs[4].key]
    assert all(isinstance(results[j.key], BriefResult) for j in jobs if j.key not in failed)


@pytest.mark.parametrize("status", ["expired", "cancelled"])
def test_an_expired_or_cancelled_batch_keeps_what_ran_and_reports_the_rest(
    chat_server: ChatServer, tmp_path: Path, status: str
) -> None:
    chat_server.script(reply(CLEAN))
    chat_server.plan_batches(BatchPlan(status=status, answered=3))
    jobs = articles(tmp_path / "in", 6)
    results = run(chat_server, jobs, tmp_path / "state")
    assert [isinstance(results[j.key], BriefResult) for j in jobs] == [True] * 3 + [False] * 3
    message = str(results[jobs[5].key])
    assert f"{status} before this request ran" in message and "resubmit" in message
    assert isinstance(results[jobs[5].key], ModelResponseError)


def test_a_failed_batch_fails_each_of_its_articles_with_the_reason(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.plan_batches(
        BatchPlan(status="failed", errors=({"code": "invalid_model", "message": "no such model"},))
    )
    results = run(chat_server, articles(tmp_path / "in", 3), tmp_path / "state")
    assert all("failed: invalid_model: no such model" in str(r) for r in results.values())
    assert not chat_server.answered


def test_repairs_go_into_a_second_smaller_batch(chat_server: ChatServer, tmp_path: Path) -> None:
    jobs = articles(tmp_path / "in", 5)

    def answer(request: Request) -> Step:
        repairing = len(request.body["messages"]) > 2
        return reply(INVENTED if town(request) in (1, 3) and not repairing else CLEAN)

    chat_server.script(answer)
    results = run(chat_server, jobs, tmp_path / "state")
    first, second = chat_server.batches
    assert custom_ids(chat_server, second) == [f"{jobs[1].key}#repair1", f"{jobs[3].key}#repair1"]
    repaired = results[jobs[1].key]
    assert isinstance(repaired, BriefResult) and repaired.ok
    assert repaired.meta["attempts"] == 2 and repaired.meta["batches"] == sorted([first["id"], second["id"]])
    assert "$987 million" in chat_server.answered[-1].body["messages"][-1]["content"]  # the problem, sent back


def test_repair_sync_sends_the_repairs_at_once(chat_server: ChatServer, tmp_path: Path) -> None:
    jobs = articles(tmp_path / "in", 3)
    chat_server.script(lambda r: reply(INVENTED if town(r) == 0 and len(r.body["messages"]) == 2 else CLEAN))
    results = run(chat_server, jobs, tmp_path / "state", repair_sync=True)
    assert len(chat_server.batches) == 1
    [synchronous] = [r for r in chat_server.requests if r.path.endswith("/chat/completions")]
    assert len(synchronous.body["messages"]) == 4
    assert all(isinstance(r, BriefResult) and r.ok for r in results.values())


def test_unrepaired_figures_stop_at_max_repairs(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(INVENTED))
    results = run(chat_server, articles(tmp_path / "in", 2), tmp_path / "state", max_repairs=1)
    assert len(chat_server.batches) == 2  # the first request, one repair; then the best is kept
    assert all(isinstance(r, BriefResult) and not r.ok for r in results.values())


@pytest.mark.parametrize(("limits", "sizes"), [(Limits(requests=20), [20, 20, 10]), (Limits(bytes=60_000), None)])
def test_requests_are_split_at_the_file_limits(
    chat_server: ChatServer, tmp_path: Path, limits: Limits, sizes: list[int] | None
) -> None:
    chat_server.script(reply(CLEAN))
    chat_server.plan_batches(BatchPlan(max_lines=limits.requests, max_bytes=limits.bytes))  # past them, it fails
    jobs = articles(tmp_path / "in", 50)
    results = run(chat_server, jobs, tmp_path / "state", limits=limits)
    batches = chat_server.batches
    assert len(batches) > 1 and all(b["status"] == "completed" for b in batches)
    if sizes is not None:
        assert [b["request_counts"]["total"] for b in batches] == sizes
    assert all(len(chat_server.file_bytes(b["input_file_id"])) <= limits.bytes for b in batches)
    assert [k for b in batches for k in custom_ids(chat_server, b)] == [j.key for j in jobs]
    assert all(isinstance(r, BriefResult) for r in results.values())


class Killed(BaseException):
    """Stands for the process being killed while it waits between polls."""


def test_an_interrupted_run_resumes_by_polling_the_same_batch(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    chat_server.plan_batches(BatchPlan(polls=4))
    jobs = articles(tmp_path / "in", 10)

    def killed(seconds: float) -> None:
        raise Killed()

    with pytest.raises(Killed):
        run(chat_server, jobs, tmp_path / "state", sleep=killed)
    [batch] = chat_server.batches
    assert json.loads((tmp_path / "state" / STATE).read_text())["batches"][0]["id"] == batch["id"]
    with pytest.raises(UsageError, match=f"batch {batch['id']} of an earlier run is not finished"):
        run(chat_server, jobs, tmp_path / "state")
    results = run(chat_server, jobs, tmp_path / "state", resume=True)
    assert len(chat_server.batches) == 1  # polled again, not submitted again
    assert all(isinstance(r, BriefResult) and r.ok for r in results.values())
    assert Counter(town(r) for r in chat_server.answered) == Counter(range(10))
    assert run(chat_server, jobs[:1], tmp_path / "state") and len(chat_server.batches) == 2  # finished: a new run


def test_resume_needs_a_recorded_batch_and_the_same_settings(chat_server: ChatServer, tmp_path: Path) -> None:
    jobs = articles(tmp_path / "in", 2)
    with pytest.raises(UsageError, match="no batch to resume"):
        run(chat_server, jobs, tmp_path / "state", resume=True)
    chat_server.plan_batches(BatchPlan(polls=5))
    with pytest.raises(Killed):
        run(chat_server, jobs, tmp_path / "state", sleep=lambda s: (_ for _ in ()).throw(Killed()))
    with pytest.raises(UsageError, match="other settings"):
        run(chat_server, jobs, tmp_path / "state", resume=True, fingerprint="f2")


def test_an_endpoint_without_the_batch_api_is_one_clear_error(chat_server: ChatServer, tmp_path: Path) -> None:
    settings_ = Settings.resolve(env={}, base_url=chat_server.url.removesuffix("/v1") + "/other", timeout=5.0,
                                 retries=0)  # fmt: skip
    with pytest.raises(EndpointError, match=r"refused to upload the requests \(HTTP 404\)"):
        list(brief_via_batch_api(articles(tmp_path / "in", 1), tmp_path / "s", settings=settings_, fingerprint="f"))


def test_an_article_over_the_input_limit_fails_alone_and_is_not_sent(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(CLEAN))
    jobs = articles(tmp_path / "in", 3)
    long = jobs[1].path
    long.write_text(long.read_text(encoding="utf-8") + "\n\nThe council met again. " * 400, encoding="utf-8")
    results = run(chat_server, jobs, tmp_path / "state", max_input_tokens=1_500)
    assert isinstance(results[jobs[1].key], BriefingError) and "input limit" in str(results[jobs[1].key])
    assert [town(r) for r in chat_server.answered] == [0, 2]
