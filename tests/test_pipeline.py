"""The library: `generate_brief()` with the LLM engine against the scripted server in tests/chatserver.py."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from typing import Any

import openai  # imported at collection so no timed test pays the ~1 s import
import paths
import pytest
from chatserver import ChatServer, error, refusal, reply
from paths import fixture

import briefing
from briefing.config import Settings
from briefing.contract import Brief
from briefing.engines.llm.client import ChatClient
from briefing.errors import (
    AuthenticationError,
    ModelResponseError,
    TemplateError,
    UnsupportedFiguresError,
    UsageError,
)
from briefing.pipeline import BriefResult, choose_engine, generate_brief
from briefing.source.article import load_source

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
CONTRACT = {"title", "what", "who", "pledges", "obstacles", "next_steps"}
SECTIONS = ["## What", "## Who", "## Pledges", "## Obstacles", "## Next steps", "## Figure check"]


def stubborn(count: int) -> list[Any]:
    """`count` replies that each invent a different amount (C$3 billion, C$4 billion, ...): never repaired."""
    return [reply(fixture("invented-figure").replace("C$3 billion", f"C${3 + n} billion")) for n in range(count)]


def parsed(name: str) -> Brief:
    return Brief.model_validate_json(fixture(name))


def settings(server: ChatServer, **overrides: Any) -> Settings:
    """Settings for the scripted server, from an empty environment."""
    values: dict[str, Any] = {"base_url": server.url, "timeout": 10.0}
    values.update(overrides)
    return Settings.resolve(env={}, **values)


def last_user(server: ChatServer, index: int) -> str:
    messages = server.requests[index].body["messages"]
    assert messages[-1]["role"] == "user"
    return str(messages[-1]["content"])


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No key, endpoint or model of the machine running the tests leaks into them, and no reply
    cached by an earlier run answers in place of the server."""
    import os

    for name in list(os.environ):
        if name.startswith(("OPENAI_", "BRIEFING_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))


# -- exports ---------------------------------------------------------------------------------------


def test_all_is_sorted_and_exports_the_pipeline() -> None:
    assert briefing.__all__ == sorted(briefing.__all__)
    assert len(set(briefing.__all__)) == len(briefing.__all__)
    for name in ("generate_brief", "BriefResult", "render_markdown"):
        assert name in briefing.__all__
    assert briefing.generate_brief is generate_brief
    assert briefing.BriefResult is BriefResult
    from briefing.render.markdown import render_markdown

    assert briefing.render_markdown is render_markdown
    for name in briefing.__all__:  # every exported name resolves
        assert getattr(briefing, name) is not None


# -- the fixtures themselves -----------------------------------------------------------------------


def test_the_correct_fixture_holds_only_contract_fields_and_every_figure_is_supported() -> None:
    data = json.loads(fixture("correct"))
    assert set(data) == CONTRACT
    item_fields = {
        "who": {"name", "role", "sources"},
        "pledges": {"text", "actor", "sources"},
        "obstacles": {"text", "sources"},
        "next_steps": {"text", "actor", "when", "sources"},
    }
    for section, keys in item_fields.items():
        assert data[section], section
        assert all(set(item) == keys for item in data[section]), section
    result = briefing.validate_brief(parsed("correct"), load_source(SEED))
    assert result.ok
    texts = {f.text for f in result.findings}
    assert {"approximately C$2 billion", "around $1.4 billion", "August 24, 2023", "2024"} <= texts
    assert any(t.startswith("around 30") for t in texts)


# -- the happy path --------------------------------------------------------------------------------


def test_a_correct_reply_is_one_request_and_a_supported_brief(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct"), prompt_tokens=1200, completion_tokens=340))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)

    assert isinstance(result, BriefResult)
    assert len(chat_server.requests) == 1
    assert result.ok and result.report.ok and result.report.findings
    assert result.brief == parsed("correct")
    assert result.warnings == []
    assert result.meta["engine"] == "llm"
    assert result.meta["model"] == "gpt-4o-mini"
    assert result.meta["attempts"] == 1
    assert result.meta["usage"] == {"prompt_tokens": 1200, "completion_tokens": 340}
    assert result.meta["source_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()

    [request] = chat_server.requests
    assert request.body["model"] == "gpt-4o-mini"
    assert request.headers["authorization"] == "Bearer no-key"  # a base URL and no key works
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert set(request.body["response_format"]["json_schema"]["schema"]["required"]) == CONTRACT
    assert [m["role"] for m in request.body["messages"]] == ["system", "user"]

    markdown = result.markdown
    positions = [markdown.index(f"\n{heading}\n") for heading in SECTIONS]
    assert positions == sorted(positions)
    assert markdown.startswith("# Carney visits Kyiv")
    assert "[S9]" in markdown and "⚠" not in markdown
    assert "attempts: 1" in markdown and result.meta["source_sha256"] in markdown


def test_to_dict_is_the_json_document(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    document = json.loads(json.dumps(result.to_dict()))
    assert set(document) == {"brief", "validation", "meta"}
    assert Brief.model_validate(document["brief"]) == result.brief
    assert document["validation"]["ok"] is True
    assert len(document["validation"]["findings"]) == len(result.report.findings)
    assert {"engine", "model", "attempts", "usage", "source_sha256"} <= set(document["meta"])
    assert set(document["meta"]["usage"]) == {"prompt_tokens", "completion_tokens"}


@pytest.mark.parametrize("form", ["str path", "Path", "bytes", "text", "Source"])
def test_every_source_form_gives_the_same_prompt(chat_server: ChatServer, form: str) -> None:
    given: Any = {
        "str path": str(SEED),
        "Path": SEED,
        "bytes": SEED.read_bytes(),
        "text": SEED.read_text(encoding="utf-8"),
        "Source": load_source(SEED),
    }[form]
    chat_server.script(reply(fixture("correct")))
    result = generate_brief(given, engine="llm", base_url=chat_server.url)
    assert result.ok and len(result.source.sentences) == 22
    user = chat_server.requests[0].body["messages"][1]["content"]
    assert "[S22] His goal is to promote Canada’s expanding defense sector" in user
    if form != "text":  # text is hashed as given; files and bytes as read
        assert result.meta["source_sha256"] == hashlib.sha256(SEED.read_bytes()).hexdigest()


def test_auto_engine_with_a_base_url_is_the_llm(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    result = generate_brief(SEED, base_url=chat_server.url)
    assert result.meta["engine"] == "llm" and len(chat_server.requests) == 1


def test_extra_fields_in_the_reply_are_accepted_and_dropped(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("extra-fields")))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert result.ok and len(chat_server.requests) == 1
    assert "confidence" not in result.to_dict()["brief"]
    assert "amount_cad" not in result.to_dict()["brief"]["pledges"][0]


def test_a_minimal_brief_with_empty_sections_is_valid(chat_server: ChatServer) -> None:
    content = json.dumps({"title": "Carney visits Ukraine", "what": "Carney visits Ukraine.", "who": [],
                          "pledges": [], "obstacles": [], "next_steps": []})  # fmt: skip
    chat_server.script(reply(content))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert result.ok and len(chat_server.requests) == 1 and result.meta["attempts"] == 1
    assert result.markdown.count("_None stated in the article._") == 3
    assert "_No actors named._" in result.markdown


def test_model_and_key_arguments_reach_the_server(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url, model="lib-model", api_key="sk-lib-123")
    [request] = chat_server.requests
    assert request.body["model"] == "lib-model"
    assert request.headers["authorization"] == "Bearer sk-lib-123"
    assert result.meta["model"] == "lib-model"
    assert "sk-lib-123" not in result.markdown and "sk-lib-123" not in json.dumps(result.to_dict())


def test_arguments_override_the_environment(chat_server: ChatServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFING_MODEL", "env-model")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env-openai")
    monkeypatch.setenv("BRIEFING_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens there
    chat_server.script(reply(fixture("correct")))
    generate_brief(SEED, engine="llm", base_url=chat_server.url)
    [request] = chat_server.requests
    assert request.body["model"] == "env-model"
    assert request.headers["authorization"] == "Bearer sk-env-openai"
    chat_server.clear()
    generate_brief(SEED, engine="llm", base_url=chat_server.url, model="arg-model", api_key="sk-arg")
    [request] = chat_server.requests
    assert request.body["model"] == "arg-model" and request.headers["authorization"] == "Bearer sk-arg"


def test_an_openai_client_can_be_passed(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    client = openai.OpenAI(base_url=chat_server.url, api_key="sk-passed-in", max_retries=0)
    result = generate_brief(SEED, engine="auto", client=client)
    assert result.ok and result.meta["engine"] == "llm"
    assert chat_server.requests[0].headers["authorization"] == "Bearer sk-passed-in"


def test_a_chat_client_is_used_as_it_is(chat_server: ChatServer) -> None:
    chat = ChatClient(settings(chat_server, model="client-model"))
    chat.mode = "json_object"  # a client that already learnt what the server accepts
    chat_server.script(reply(fixture("correct")))
    generate_brief(SEED, engine="llm", client=chat)
    [request] = chat_server.requests
    assert request.response_format == "json_object"
    assert request.body["model"] == "client-model"


# -- repairs ---------------------------------------------------------------------------------------

REPAIRS = [
    pytest.param(
        'Here is the brief: {"title": "Carney in Kyiv", "what": ',
        ["not one JSON object", "never closed"],
        id="invalid-json",
    ),
    pytest.param("Sorry, I cannot produce JSON.", ["not one JSON object", "holds no JSON object"], id="prose"),
    pytest.param(
        fixture("schema-break"),
        ["the JSON breaks the schema", "what: Field required", "pledges.0.sources"],
        id="schema-break",
    ),
    pytest.param(
        fixture("bad-citations"),
        ["obstacles[0] cites S99, which does not exist", "next_steps[2] cites S0", "S1..S22"],
        id="bad-citations",
    ),
    pytest.param(
        fixture("invented-figure"),
        ["pledges[0]", "C$3 billion", "approximately C$2 billion", "S9"],
        id="invented-figure",
    ),
    pytest.param(
        fixture("misattributed"),
        ["pledges[0]", "approximately C$2 billion: the source has it in S9, not in the cited S1"],
        id="misattributed",
    ),
    pytest.param(
        fixture("two-invented"),
        ["what: August 25, 2023", "August 24, 2023 in S1", "what: around 40", "around 30", "in S3"],
        id="two-invented",
    ),
]


@pytest.mark.parametrize(("broken", "expected"), REPAIRS)
def test_a_broken_reply_is_repaired_with_its_exact_problems(
    chat_server: ChatServer, broken: str, expected: list[str]
) -> None:
    chat_server.script(reply(broken, prompt_tokens=100, completion_tokens=50), reply(fixture("correct")))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)

    assert len(chat_server.requests) == 2
    assert result.ok and result.brief == parsed("correct") and result.warnings == []
    assert result.meta["attempts"] == 2
    assert result.meta["usage"] == {"prompt_tokens": 110, "completion_tokens": 55}
    first, second = (r.body["messages"] for r in chat_server.requests)
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[:2] == first  # the same rules and article
    assert second[2]["content"] == broken  # the failed reply, verbatim
    repair = last_user(chat_server, 1)
    for fragment in expected:
        assert fragment in repair, fragment
    assert "<article>" not in repair  # the article is not sent twice in the repair turn


def test_the_repair_names_the_invented_figure_and_the_source_one(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("invented-figure")), reply(fixture("correct")))
    generate_brief(SEED, engine="llm", base_url=chat_server.url)
    repair = last_user(chat_server, 1)
    problems = [line for line in repair.splitlines() if line.startswith("- ")]
    assert len(problems) == 1
    [problem] = problems
    assert "C$3 billion" in problem and "C$2 billion" in problem and "S9" in problem


@pytest.mark.parametrize("max_repairs", [0, 1, 2, 3])
def test_unrepairable_figures_are_bounded_and_marked(chat_server: ChatServer, max_repairs: int) -> None:
    chat_server.script(*stubborn(max_repairs + 1))  # a new wrong amount every time
    result = generate_brief(SEED, engine="llm", settings=settings(chat_server, max_repairs=max_repairs))
    assert len(chat_server.requests) == 1 + max_repairs
    assert result.meta["attempts"] == 1 + max_repairs
    assert not result.ok
    assert [f.text for f in result.report.unsupported] == ["C$3 billion"]
    assert "Canada pledged C$3 billion ⚠ unverified in financial aid" in result.markdown
    assert result.markdown.count("⚠ unverified") == 1


def test_the_default_is_two_repairs(chat_server: ChatServer) -> None:
    chat_server.script(*stubborn(5))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert len(chat_server.requests) == 3 and not result.ok


def test_the_same_reply_to_the_same_repair_request_stops_the_repairs(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("invented-figure")))  # the same broken reply, every time
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url, settings=settings(chat_server, max_repairs=5))
    assert len(chat_server.requests) == 2  # the third request would repeat the second
    assert result.meta["attempts"] == 2 and not result.ok
    assert any("repeated the same reply" in w for w in result.warnings)
    assert "C$3 billion ⚠ unverified" in result.markdown


def test_strict_raises_with_the_marked_result(chat_server: ChatServer) -> None:
    chat_server.script(*stubborn(3))
    with pytest.raises(UnsupportedFiguresError) as caught:
        generate_brief(SEED, engine="llm", base_url=chat_server.url, strict=True)
    assert caught.value.exit_code == 3
    assert "C$3 billion" in str(caught.value)
    assert len(chat_server.requests) == 3
    result = caught.value.result
    assert isinstance(result, BriefResult)
    assert "C$3 billion ⚠ unverified" in result.markdown


def test_strict_passes_a_supported_brief(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("correct")))
    assert generate_brief(SEED, engine="llm", base_url=chat_server.url, strict=True).ok


@pytest.mark.parametrize(
    "replies",
    [
        pytest.param(["two-invented", "invented-figure", "two-invented"], id="fewest-problems"),
        pytest.param(["schema-break", "invented-figure", "not json"], id="valid-beats-invalid"),
        pytest.param(["invented-figure", "schema-break", "two-invented"], id="first-is-best"),
    ],
)
def test_the_best_attempt_is_kept(chat_server: ChatServer, replies: list[str]) -> None:
    chat_server.script(*(reply(fixture(r) if r != "not json" else "no JSON here") for r in replies))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert len(chat_server.requests) == 3
    assert result.brief == parsed("invented-figure")
    assert [f.text for f in result.report.unsupported] == ["C$3 billion"]
    assert "around 40 nations" not in result.markdown and "August 25" not in result.markdown


def test_a_model_that_never_gives_json_fails_after_the_bounded_requests(chat_server: ChatServer) -> None:
    chat_server.script(*[reply(f"I would rather write prose, take {n}.") for n in range(3)])
    with pytest.raises(ModelResponseError) as caught:
        generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert len(chat_server.requests) == 3
    assert caught.value.exit_code == 1 and caught.value.attempts == 3
    assert "3 attempts" in str(caught.value) and "not one JSON object" in str(caught.value)


def test_a_model_that_only_breaks_the_schema_fails(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("schema-break")))
    with pytest.raises(ModelResponseError, match="what: Field required"):
        generate_brief(SEED, engine="llm", settings=settings(chat_server, max_repairs=1))
    assert len(chat_server.requests) == 2


def test_citations_of_missing_sentences_that_stay_are_removed_with_warnings(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("bad-citations")))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert len(chat_server.requests) == 2  # the same reply twice: no third request
    assert result.ok  # no figure is wrong; the citations are dropped
    assert result.brief.obstacles[0].sources == [10]
    assert result.brief.next_steps[2].sources == []
    dropped = [w for w in result.warnings if "cited" in w]
    assert len(dropped) == 2
    assert "obstacles[0] cited S99" in dropped[0] and "next_steps[2] cited S0" in dropped[1]
    assert "S99" not in result.markdown and "[S0]" not in result.markdown
    assert "- A shortage of qualified personnel limits any significant Canadian military deployment. [S10]" in (
        result.markdown.splitlines()
    )


def test_a_refused_repair_keeps_the_best_earlier_reply(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("invented-figure")), refusal("I cannot help with that."))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert len(chat_server.requests) == 2
    assert result.meta["attempts"] == 1 and result.meta["requests"] == 2
    assert result.brief == parsed("invented-figure")
    assert "C$3 billion ⚠ unverified" in result.markdown
    assert any("refused" in w for w in result.warnings)


def test_a_refused_first_request_fails(chat_server: ChatServer) -> None:
    chat_server.script(refusal("I cannot help with that."))
    with pytest.raises(ModelResponseError, match="refused"):
        generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert len(chat_server.requests) == 1


# -- the endpoint ----------------------------------------------------------------------------------


def test_429_then_500_then_success(chat_server: ChatServer) -> None:
    chat_server.script(
        error(429, "slow down", type="rate_limit_error", headers={"Retry-After": "1"}),
        error(500, "oops", headers={"Retry-After": "0"}),
        reply(fixture("correct")),
    )
    started = time.monotonic()
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    elapsed = time.monotonic() - started
    requests = chat_server.requests
    assert len(requests) == 3 and result.ok
    assert result.meta["attempts"] == 1 and result.meta["requests"] == 3
    assert requests[1].time - requests[0].time >= 0.9  # the Retry-After was honoured
    assert elapsed < 8
    assert requests[0].body == requests[2].body  # a retry resends the same request


def test_401_is_one_request_and_names_the_key_variables(chat_server: ChatServer) -> None:
    chat_server.script(error(401, "Incorrect API key provided: sk-wrong-key-000", type="invalid_request_error"))
    with pytest.raises(AuthenticationError) as caught:
        generate_brief(SEED, engine="llm", base_url=chat_server.url, api_key="sk-wrong-key-000")
    assert len(chat_server.requests) == 1
    assert caught.value.exit_code == 1
    message = str(caught.value)
    assert "OPENAI_API_KEY" in message and "BRIEFING_API_KEY" in message
    assert "sk-wrong-key-000" not in message


def test_response_format_falls_back_and_the_repair_keeps_the_working_format(chat_server: ChatServer) -> None:
    chat_server.script(
        error(400, "response_format json_schema is not supported by this model", param="response_format"),
        reply(fixture("invented-figure")),
        reply(fixture("correct")),
    )
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object", "json_object"]
    assert result.ok and result.meta["attempts"] == 2 and result.meta["requests"] == 3
    assert result.meta["response_format"] == "json_object"


def test_response_format_falls_back_to_plain_text(chat_server: ChatServer) -> None:
    chat_server.script(
        error(400, "Invalid parameter: 'response_format' of type 'json_schema' is not supported"),
        error(400, "response_format type json_object is unsupported"),
        reply("Sure! Here is the brief:\n```json\n" + fixture("correct") + "\n```"),
    )
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert [r.response_format for r in chat_server.requests] == ["json_schema", "json_object", None]
    assert "response_format" not in chat_server.requests[2].body
    assert result.ok and result.meta["response_format"] == "text"


def test_a_reasoning_models_think_block_is_not_taken_for_the_brief(chat_server: ChatServer) -> None:
    """Reasoning models (served by Ollama, vLLM, llama.cpp) may put drafts inside <think> before the reply."""
    draft = fixture("invented-figure")
    chat_server.script(reply(f"<think>\nA first draft:\n{draft}\nC$3 billion looks wrong; fix it.\n</think>\n"
                             + fixture("correct")))  # fmt: skip
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url)
    assert result.ok and len(chat_server.requests) == 1
    assert "C$3 billion" not in result.markdown


# -- engines and options ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("engine", "values", "client", "expected"),
    [
        ("auto", {}, None, "extractive"),
        ("auto", {"api_key": "sk-x"}, None, "llm"),
        ("auto", {"base_url": "http://127.0.0.1:1/v1"}, None, "llm"),
        ("auto", {}, object(), "llm"),
        ("llm", {}, None, "llm"),
        ("extractive", {"api_key": "sk-x"}, None, "extractive"),
        ("extractive", {}, object(), "extractive"),
    ],
)
def test_choose_engine(engine: str, values: dict[str, Any], client: object, expected: str) -> None:
    assert choose_engine(engine, Settings(**values), client) == expected


def test_choose_engine_reads_the_settings_not_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    assert choose_engine("auto", Settings()) == "extractive"  # explicit settings without a key
    assert choose_engine("auto", Settings.resolve()) == "llm"  # resolved from the environment


@pytest.mark.parametrize("engine", ["gpt", "", "LLM"])
def test_an_unknown_engine_is_a_usage_error(engine: str) -> None:
    with pytest.raises(UsageError) as caught:
        choose_engine(engine, Settings())
    assert caught.value.exit_code == 2


def test_a_missing_template_fails_before_any_request(chat_server: ChatServer, tmp_path: Path) -> None:
    chat_server.script(reply(fixture("correct")))
    with pytest.raises(TemplateError, match="no such file"):
        generate_brief(SEED, engine="llm", base_url=chat_server.url, template=tmp_path / "missing.j2")
    assert chat_server.requests == []


def test_template_and_prompts_may_be_given_as_strings(chat_server: ChatServer, tmp_path: Path) -> None:
    (tmp_path / "out.j2").write_text("{{ brief.title }} / {{ meta.attempts }}\n", encoding="utf-8")
    prompts = tmp_path / "prompts"
    prompts.mkdir()
    (prompts / "system.md.j2").write_text("Custom rules.", encoding="utf-8")
    chat_server.script(reply(fixture("correct")))
    result = generate_brief(SEED, engine="llm", base_url=chat_server.url,
                            template=str(tmp_path / "out.j2"), prompts_dir=str(prompts))  # fmt: skip
    assert result.markdown == "Carney visits Kyiv as Canada weighs a role in a peacekeeping coalition / 1\n"
    assert chat_server.requests[0].body["messages"][0]["content"] == "Custom rules."


def test_the_markdown_marks_every_unsupported_figure_where_it_stands(chat_server: ChatServer) -> None:
    chat_server.script(reply(fixture("two-invented")))
    result = generate_brief(SEED, engine="llm", settings=settings(chat_server, max_repairs=0))
    what = result.markdown.split("## What\n\n", 1)[1].split("\n", 1)[0]
    assert re.search(r"August 25, 2023 ⚠ unverified, as Canada", what)
    assert re.search(r"around 40(?: nations)? ⚠ unverified", what)
    unsupported = sorted(f.text for f in result.report.unsupported)
    assert len(unsupported) == 2 and unsupported[0] == "August 25, 2023" and unsupported[1].startswith("around 40")


PUBLIC = [
    "AuthenticationError", "Brief", "BriefResult", "BriefingError", "ContextTooLongError", "DateValue",
    "EndpointError", "Figure", "Finding", "InputError", "ModelError", "ModelResponseError", "NextStep",
    "Obstacle", "Person", "Pledge", "Sentence", "Settings", "Source", "TemplateError",
    "UnsupportedFiguresError", "UsageError", "ValidationReport", "extract_figures", "generate_brief",
    "load_source", "render_markdown", "validate_brief",
]  # fmt: skip


def test_the_public_api_is_pinned_and_each_name_comes_from_where_it_is_defined() -> None:
    assert briefing.__all__ == PUBLIC  # a change here is a change of the public API: say so in the changelog
    for name in PUBLIC:
        value = getattr(briefing, name)
        module = getattr(value, "__module__", "")
        assert module.startswith("briefing.") and name in vars(__import__(module, fromlist=[name])), name
        assert name in getattr(__import__(module, fromlist=["__all__"]), "__all__", [name]), (name, module)
