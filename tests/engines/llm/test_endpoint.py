"""briefing.engines.llm.endpoint: reading what a server sends (format rejections, Retry-After), the backoff, and
server text made safe to show. The reply-size cap is proved end to end in tests/cli/test_faults.py."""

from __future__ import annotations

import email.utils

import pytest

from briefing.engines.llm.endpoint import (
    BACKOFF_CAP,
    backoff_delay,
    clean_server_text,
    rejects_response_format,
    retry_after_seconds,
)


def test_backoff_delay_grows_and_is_capped() -> None:
    assert [backoff_delay(n, rand=lambda: 1.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff_delay(3, rand=lambda: 0.0) == 1.0
    assert backoff_delay(50, rand=lambda: 1.0) == BACKOFF_CAP
    assert backoff_delay(10_000, rand=lambda: 0.0) == BACKOFF_CAP / 2


@pytest.mark.parametrize(
    ("message", "param", "expected"),
    [
        ("response_format type 'json_schema' is not supported", None, True),
        ("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", None, True),
        ("json_schema is not supported by this backend", None, True),
        ("Unknown field: json_object", None, True),
        ("structured outputs are unavailable for this model", None, True),
        ("This output format is not supported", None, True),
        ("schema not supported", None, True),
        ("Invalid value", "response_format", True),
        ("temperature is not supported with this model", None, False),
        ("max_tokens is too large", None, False),
        ("Invalid 'messages': empty array", "messages", False),
        ("", None, False),
    ],
)
def test_rejects_response_format(message: str, param: str | None, expected: bool) -> None:
    assert rejects_response_format(message, param=param) is expected


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "2"}, 2.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "nope", "retry-after": "4"}, 4.0),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:30 GMT"}, 30.0),
        ({"retry-after": "soon"}, None),
        ({"retry-after": "inf"}, None),
    ],
)
def test_retry_after_seconds(headers: dict[str, str], expected: float | None) -> None:
    now = email.utils.parsedate_to_datetime("Wed, 21 Oct 2015 07:28:00 GMT").timestamp()
    assert retry_after_seconds(headers, now=lambda: now) == expected


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain words", "plain words"),
        ("two\nlines\tand  spaces", "two lines and spaces"),
        ("\x1b[31mred\x1b[0m alert", "[31mred[0m alert"),
        ("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
         "an HTML page titled '502 Bad Gateway'"),
        ("<html><body>no title</body></html>", "an HTML page"),
        ("token sk-abcdefghij1234 leaked", "token *** leaked"),
        ("Authorization: Bearer abc.def.ghi", "Authorization: *** "),
        ("the key KEY-12345678 echoed", "the key *** echoed"),
        ("x" * 300, "x" * 199 + "…"),
    ],
)  # fmt: skip
def test_clean_server_text(text: str, shown: str) -> None:
    assert clean_server_text(text, key="KEY-12345678") == shown.strip()
