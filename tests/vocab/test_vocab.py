"""The word lists of briefing/vocab/: each entry is read by every layer that should read it, and no
word list lives anywhere else (in the style of dateparser's data-integrity tests)."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import paths
import pytest

from briefing import extract_figures
from briefing.checks.stance import read_strength
from briefing.engines.extractive.filing import cue_data, cues
from briefing.vocab import money, places, stance
from briefing.vocab.characters import BIDI, control_characters

PACKAGE = paths.ROOT / "briefing"
VOCAB = PACKAGE / "vocab"
SYMBOLS = sorted({p for p in money.CURRENCY_PREFIXES if not p.isalpha() or p in ("Rs",)})


def _one(text: str):  # type: ignore[no-untyped-def]
    figures = extract_figures(text)
    assert len(figures) == 1, (text, figures)
    return figures[0]


@pytest.mark.parametrize("prefix", sorted(money.CURRENCY_PREFIXES))
def test_every_currency_prefix_reads_as_money_alone_with_a_scale_and_in_a_range(prefix: str) -> None:
    code = money.CURRENCY_PREFIXES[prefix]
    alone = _one(f"It costs {prefix}5 in all.")
    assert (alone.kind, alone.unit, alone.value) == ("money", code, Decimal(5))
    scaled = _one(f"It costs {prefix}5 million in all.")
    assert (scaled.kind, scaled.unit, scaled.value) == ("money", code, Decimal(5_000_000))
    ranged = _one(f"It costs {prefix}2-{prefix}3 billion in all.")
    assert (ranged.kind, ranged.unit, ranged.value) == ("range", code, (Decimal(2) * 10**9, Decimal(3) * 10**9))


@pytest.mark.parametrize("code", sorted(money.CURRENCY_CODES))
def test_every_currency_code_reads_as_money_before_and_after(code: str) -> None:
    expected = money.CODE_ALIASES.get(code, code)
    for text in (f"It costs {code} 5 million in all.", f"It costs 5 million {code} in all."):
        figure = _one(text)
        assert (figure.kind, figure.unit, figure.value) == ("money", expected, Decimal(5_000_000)), text


@pytest.mark.parametrize("name", sorted({*money.CURRENCY_NAMES, *money.SCALED_CURRENCY_NAMES}))
def test_every_currency_name_reads_as_money_after_a_scale(name: str) -> None:
    expected = money.CURRENCY_NAMES.get(name) or money.SCALED_CURRENCY_NAMES[name]
    figure = _one(f"It costs 5 million {name} in all.")
    assert (figure.kind, figure.unit, figure.value) == ("money", expected, Decimal(5_000_000))


@pytest.mark.parametrize("country", sorted(money.PER_USD))
def test_every_rate_band_is_a_known_code_and_a_real_interval(country: str) -> None:
    low, high = money.PER_USD[country]
    assert country in money.CURRENCY_CODES and 0 < low < high


def test_the_symbol_class_holds_every_symbol_and_nothing_else() -> None:
    symbols = {c for p in money.CURRENCY_PREFIXES for c in p if not c.isalnum() and c != "."}
    assert set(money.SYMBOLS) == symbols == money.SYMBOL_CHARS
    assert money.SYMBOL_CLASS.startswith("[$") and all(money.SYMBOL_PATTERN.fullmatch(s) for s in symbols)


def test_every_country_has_one_home_and_its_aliases_name_only_it() -> None:
    aliases = places.aliases_of()
    assert set(places.OTHER_NAMES) <= set(places.DEMONYMS)
    assert set(places.METONYMS.values()) <= set(places.DEMONYMS)
    owners: dict[str, str] = {}
    for country, names in aliases.items():
        for name in names:
            assert owners.setdefault(name, country) == country, (name, owners[name], country)
    assert places.alias_table()["Washington"] == "United States"


def test_control_characters_keep_only_what_is_asked() -> None:
    assert control_characters().sub("", "a\tb\nc\rd\x1b[2Je\x9bf\x00") == "a\tb\nc\rd[2Jef"
    assert control_characters(keep="\t\n").sub("", "a\r\nb") == "a\nb"
    assert len(BIDI) == len(set(BIDI)) and "\u202e" in BIDI


def _literals(path: Path) -> list[str]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


OUTSIDE_VOCAB = sorted(p for p in PACKAGE.rglob("*.py") if VOCAB not in p.parents)
DATA_FILES = sorted(p for p in PACKAGE.rglob("*.toml"))


@pytest.mark.parametrize("path", OUTSIDE_VOCAB + DATA_FILES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_word_list_lives_outside_vocab(path: Path) -> None:
    """No currency symbol and no country name is written in code or data outside briefing/vocab/."""
    texts = (
        _literals(path)
        if path.suffix == ".py"
        else [line for line in path.read_text(encoding="utf-8").splitlines() if not line.lstrip().startswith("#")]
    )
    symbols = set(money.SYMBOLS) - {"$"}  # "$" is also a regular expression's end of line
    countries = [c for c in places.DEMONYMS if len(c) > 4]
    for text in texts:
        assert not symbols & set(text), (path.name, text[:80])
        for country in countries:
            assert country not in text, (path.name, country, text[:80])
        for phrase in HEDGE_PHRASES:
            assert phrase not in text.split(" #")[0].lower(), (path.name, phrase, text[:80])


# One way of writing each hedge of vocab/stance.py (the test below checks that every hedge has one).
HEDGE_EXAMPLES = (
    "considering", "potential", "not ruling out", "not dismissing", "open to", "contemplates", "possibly",
    "weighing", "mulls", "exploring", "willing", "stands ready", "prepared to", "see what role",
    "under consideration", "if the", "in talks", "discussing the possibility", "option of", "hopes to",
    "seeking to", "aims to", "proposes", "plans to consider", "wondering", "wants to", "bids for", "may",
    "might", "could",
)  # fmt: skip
# Hedge phrases that no code or data outside vocab/ may write (the short modal verbs and words such as
# "if" are also plain English in patterns of other kinds, so only the distinctive phrases are checked).
HEDGE_PHRASES = ("considering", "potential", "ruling out", "dismissing", "open to", "contemplat", "willing",
                 "stands ready", "what role", "under consideration", "mull")  # fmt: skip


@pytest.mark.parametrize("cue", [*stance.HEDGES, *stance.MODALS], ids=lambda c: c.pattern[:30])
def test_every_hedge_has_an_example(cue: stance.Cue) -> None:
    assert any(re.match(cue.pattern, example) for example in HEDGE_EXAMPLES), cue.pattern


@pytest.mark.parametrize("example", HEDGE_EXAMPLES)
def test_every_hedge_is_seen_by_the_validator_and_the_extractive_engine(example: str) -> None:
    sentence = f"Canada {example} send troops to the region."
    assert read_strength(sentence).strength == "hedged", sentence
    assert cues().hedge.search(sentence), sentence
    assert read_strength("Canada will send troops to the region.").strength != "hedged"


def test_the_engines_hedge_cues_are_the_vocabularys() -> None:
    """The `[[feature]]` tables that say `vocab = "stance"` read their patterns from vocab/stance.py, and
    every list there belongs to one of them."""
    features = {f["name"]: f for f in cue_data()["feature"] if f.get("vocab") == "stance"}
    assert set(features) == set(stance.CUE_PATTERNS)
    for name, patterns in stance.CUE_PATTERNS.items():
        assert features[name]["patterns"] == list(patterns)
    fired = {f.name for f in cues().features if f.pattern.search("canada is willing to send troops.")}
    assert "considered commitment" in fired
