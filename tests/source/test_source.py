"""Reading articles: paths, stdin, bytes and text; encodings; refusals; numbering and spans."""

from __future__ import annotations

import gzip
import hashlib
import io
from pathlib import Path

import paths
import pytest

from briefing.errors import InputError
from briefing.source.article import decode, load_source, read_text, source_from_text

ROOT = paths.ROOT
SEED = ROOT / "examples" / "carney-ukraine.txt"
ARTICLE = "Canada pledged C$2 billion to Ukraine. The money arrives in June.\n\nOfficials met on Aug. 5, 2023."


def test_seed_sentences_are_numbered_with_exact_spans() -> None:
    source = load_source(SEED)
    assert [s.n for s in source.sentences] == list(range(1, len(source.sentences) + 1))
    for sentence in source.sentences:
        assert source.text[sentence.start : sentence.end] == sentence.text
    assert source.sentence(1).text.startswith("Mark Carney, Canada’s Prime Minister")
    assert "C$2 billion" in source.sentence(9).text


def test_seed_loses_its_site_furniture_but_keeps_the_title() -> None:
    source = load_source(SEED)
    for furniture in ("Connect with us", "Trending", "Copyright", "informational purposes", "Editorial"):
        assert furniture not in source.text
    assert source.title == "Carney Visits Ukraine as Canada Considers Troop Deployment for Peacekeeping"
    assert source.text.rstrip().endswith("geopolitical challenges.")


def test_sha256_is_of_the_bytes_read() -> None:
    source = load_source(SEED)
    assert source.sha256 == hashlib.sha256(SEED.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(ARTICLE.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(ARTICLE.encode("utf-16"), "utf-16", id="utf-16-bom"),
        pytest.param(ARTICLE.encode("utf-16-le"), "utf-16-le", id="utf-16-le-no-bom"),
        pytest.param(ARTICLE.replace("C$", "€").encode("cp1252"), "cp1252", id="windows-1252"),
        pytest.param("Café owners pledged £5 million.".encode("latin-1"), "cp1252", id="latin-1"),
    ],
)
def test_encodings_are_decoded(data: bytes, encoding: str) -> None:
    text, found = decode(data, "article")
    assert found == encoding
    assert "pledged" in text
    assert not text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "is empty", id="empty"),
        pytest.param(b"   \n\t \n", "only whitespace", id="whitespace"),
        pytest.param(bytes(range(256)) * 4, "binary", id="binary"),
        pytest.param(b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64, "binary", id="elf-header"),
        pytest.param(b"\x89PNG\r\n\x1a\n" + bytes(200), "binary", id="png"),
    ],
)
def test_unusable_input_is_refused_with_a_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as caught:
        load_source(path)
    assert caught.value.exit_code == 2
    assert "\n" not in str(caught.value)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_source(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load_source(tmp_path)


def test_stdin_and_text_and_bytes_agree() -> None:
    from_stdin = load_source("-", stdin=io.BytesIO(ARTICLE.encode()))
    from_text = load_source(ARTICLE)
    from_bytes = load_source(ARTICLE.encode())
    assert from_stdin.origin == "<stdin>"
    assert [s.text for s in from_stdin.sentences] == [s.text for s in from_text.sentences]
    assert from_bytes.sha256 == from_stdin.sha256 == hashlib.sha256(ARTICLE.encode()).hexdigest()


def test_gzip_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "article.txt.gz"
    path.write_bytes(gzip.compress(ARTICLE.encode()))
    assert len(load_source(path).sentences) == 3


def test_sentence_splitting_keeps_abbreviations_and_decimals() -> None:
    source = source_from_text(
        "The U.S. Army said Mr. Smith left on Aug. 5. He paid $3.5 million. "
        "Gen. Jones agreed with the U.K. minister. She lives in the U.S. He does not."
    )
    assert [s.text for s in source.sentences] == [
        "The U.S. Army said Mr. Smith left on Aug. 5.",
        "He paid $3.5 million.",
        "Gen. Jones agreed with the U.K. minister.",
        "She lives in the U.S.",
        "He does not.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("The show runs Jan. 14-19: tickets are on sale.", 1),
        ("It opens Oct. 5–7, in Paris. He left.", 2),
        ("Meet on Feb. 11-14 in Rome.", 1),
    ],
)
def test_an_abbreviation_before_a_number_is_no_sentence_break(text: str, sentences: int) -> None:
    assert len(source_from_text(text).sentences) == sentences


def test_quotations_split_by_sentence_inside_quotes() -> None:
    source = source_from_text("“We’ll go,” he said. “Then we’ll see.” It was late.")
    assert [s.text for s in source.sentences] == ["“We’ll go,” he said.", "“Then we’ll see.”", "It was late."]


def test_sentence_at_and_numbered_view() -> None:
    source = source_from_text(ARTICLE)
    second = source.sentence(2)
    assert source.sentence_at(second.start) == second
    assert source.sentence_at(second.end - 1) == second
    assert source.numbered().splitlines()[0] == "[S1] Canada pledged C$2 billion to Ukraine."
    with pytest.raises(KeyError, match=r"S1\.\.S3"):
        source.sentence(4)


def test_figures_ledger_is_cached_and_numbered() -> None:
    source = source_from_text(ARTICLE)
    assert source.figures is source.figures
    money = [f for f in source.figures if f.kind == "money"]
    assert money and money[0].sentence == 1


def test_html_input_is_detected_by_content(tmp_path: Path) -> None:
    page = (
        "<!doctype html><html><head><title>Aid</title><script>var x = 'C$9 billion';</script></head>"
        "<body><nav>Home | World</nav><article><h1>Canada pledges aid</h1>"
        + "".join(
            f"<p>Paragraph {i}: Canada pledged C$2 billion to Ukraine in June, officials said.</p>" for i in range(6)
        )
        + "</article><footer>Copyright 2023</footer></body></html>"
    )
    path = tmp_path / "article.txt"  # the name says text; the content is HTML
    path.write_text(page, encoding="utf-8")
    source = load_source(path)
    assert source.html
    assert "C$9 billion" not in source.text and "<p>" not in source.text
    assert "C$2 billion" in source.text


def test_read_text_decodes_without_cleaning(tmp_path: Path) -> None:
    path = tmp_path / "brief.md"
    path.write_text("# Brief\n\n- C$2 billion [S9]\n", encoding="utf-8")
    assert read_text(path) == "# Brief\n\n- C$2 billion [S9]\n"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        read_text(path)
