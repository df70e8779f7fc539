"""Bad inputs, generated here: each gives one clear InputError naming the input, or a correct
result; never a crash or a hang."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventwire.errors import InputError, NotEnglishError
from eventwire.ingest import RawArticle, prepare
from eventwire.ingest.clean import clean_text
from eventwire.ingest.decode import MAX_INPUT_BYTES, iter_lines
from eventwire.ingest.html import extract_html
from eventwire.ingest.readers import iter_inputs

ENGLISH = (
    "The finance ministers of the two countries met in the capital on Tuesday to discuss new "
    "trade rules, and officials said the talks would continue next month after a short break."
)
FRENCH = (
    "Les ministres des finances des deux pays se sont réunis mardi dans la capitale pour discuter "
    "de nouvelles règles commerciales, et les responsables ont déclaré que les négociations "
    "reprendraient le mois prochain après une courte pause."
)
GERMAN = (
    "Die Finanzminister der beiden Länder trafen sich am Dienstag in der Hauptstadt, um über neue "
    "Handelsregeln zu sprechen, und Beamte sagten, die Gespräche würden nach einer kurzen Pause "
    "im nächsten Monat fortgesetzt."
)
SPANISH = (
    "Los ministros de finanzas de los dos países se reunieron el martes en la capital para discutir "
    "nuevas reglas comerciales, y los funcionarios dijeron que las conversaciones continuarán el "
    "próximo mes después de una breve pausa."
)


def one(path: Path) -> RawArticle | InputError:
    got = list(iter_inputs([str(path)]))
    assert len(got) == 1
    return got[0]


def error_of(path: Path) -> InputError:
    item = one(path)
    assert isinstance(item, InputError), item
    assert item.source == str(path)
    return item


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "empty.jsonl", "blank.txt"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("   \n\n  " if name.startswith("blank") else "", encoding="utf-8")
    assert "empty" in error_of(path).problem


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40)
    assert "binary" in error_of(path).problem


def test_control_characters_mean_binary(tmp_path: Path) -> None:
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 0x1B, 0x7F]) * 500 + b"some text")
    assert "binary" in error_of(path).problem


def test_stray_control_character_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ENGLISH.encode() + b"\x07")
    item = one(path)
    assert isinstance(item, RawArticle) and item.text == ENGLISH


def test_latin1_bytes_in_a_txt(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(("The café owner in Zürich said prices rose. " * 5).encode("latin-1"))
    item = one(path)
    assert isinstance(item, RawArticle) and item.text is not None
    assert "café" in item.text and "Zürich" in item.text


def test_mixed_utf8_and_cp1252_bytes(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("The café reopened.".encode() + b" He said \x93enough\x94 in S\xe3o Paulo.")
    item = one(path)
    assert isinstance(item, RawArticle) and item.text is not None
    assert "café" in item.text and "“enough”" in item.text


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path: Path, codec: str) -> None:
    path = tmp_path / f"{codec}.txt"
    bom = codecs.BOM_UTF16_BE if codec == "utf-16-be" else b""
    path.write_bytes(bom + f"Title\n\n{ENGLISH}".encode(codec))
    item = one(path)
    assert isinstance(item, RawArticle) and item.title == "Title" and item.text == ENGLISH


def test_utf16_bom_with_broken_body(tmp_path: Path) -> None:
    path = tmp_path / "broken16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + b"a\x00b")
    assert "undecodable" in error_of(path).problem


def test_too_large_text_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_INPUT_BYTES + 1)  # sparse: no need to write 20 MB
    assert "too large" in error_of(path).problem


def test_50mb_html_page_file_and_string(tmp_path: Path) -> None:
    page = "<html><body>" + "<p>The council met again to talk.</p>\n" * 1_400_000 + "</body></html>"
    path = tmp_path / "big.html"
    path.write_text(page, encoding="utf-8")
    assert "too large" in error_of(path).problem
    started = time.perf_counter()
    with pytest.raises(InputError, match="too large"):
        extract_html(page, origin="big")
    assert time.perf_counter() - started < 20


def test_large_page_of_inline_data_is_lightened_not_refused() -> None:
    page = (
        "<html><body><article><p>" + ENGLISH + "</p></article><script>"
        + "x" * 12_000_000 + "</script></body></html>"
    )  # fmt: skip
    assert ENGLISH in extract_html(page).text


def test_deeply_nested_html_gives_its_text() -> None:
    page = (
        "<html><body>" + "<div>" * 5000 + f"<p>{ENGLISH}</p>" + "</div>" * 5000 + "</body></html>"
    )
    article = prepare(RawArticle(origin="deep.html", html=page))
    assert article.text == ENGLISH


def test_nul_bytes_inside_an_html_string_do_not_crash() -> None:
    page = f"<html><body><article><p>{ENGLISH}\x00</p></article></body></html>"
    assert extract_html(page).text == ENGLISH


def test_html_without_any_text() -> None:
    with pytest.raises(InputError, match="no article text"):
        extract_html("<html><body><script>var a = 1;</script></body></html>", origin="x.html")


def test_extremely_long_line_is_read() -> None:
    text = " ".join([ENGLISH] * 2500)  # one line of about 480,000 characters
    started = time.perf_counter()
    article = prepare(RawArticle(origin="long.txt", text=text))
    assert article.text == text and time.perf_counter() - started < 20


def test_article_over_the_length_limit() -> None:
    text = "\n\n".join(f"{ENGLISH} ({i})" for i in range(6000))
    with pytest.raises(InputError, match="too long"):
        prepare(RawArticle(origin="long.txt", text=text))


@pytest.mark.parametrize(("text", "language"), [(FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")])
def test_non_english_articles_are_refused(text: str, language: str) -> None:
    with pytest.raises(NotEnglishError) as info:
        prepare(RawArticle(origin="foreign.txt", text=f"{text}\n\n{text}x"))
    assert info.value.language == language
    assert language in str(info.value) and "foreign.txt" in str(info.value)


def test_short_non_english_text_is_not_refused() -> None:
    article = prepare(RawArticle(origin="short.txt", text="Réunion des ministres à Paris."))
    assert article.text == "Réunion des ministres à Paris."


def test_gzip_bomb_txt(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a" * (MAX_INPUT_BYTES + 1024), compresslevel=9))
    assert path.stat().st_size < 1_000_000
    assert "decompressed" in error_of(path).problem


def test_gzip_bomb_among_jsonl_inputs(tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl.gz"
    good.write_bytes(gzip.compress(json.dumps({"text": ENGLISH}).encode() + b"\n"))
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b"\x00" * (MAX_INPUT_BYTES + 1024), compresslevel=9))
    got = list(iter_inputs([str(good), str(bomb)]))
    assert isinstance(got[0], RawArticle)
    assert len(got) == 2 and isinstance(got[1], InputError) and "too long" in got[1].problem


def test_over_long_line_without_end_stops_reading() -> None:
    stream = io.BytesIO(b"short\n" + b"x" * 1000)
    assert list(iter_lines(stream, limit=100)) == [b"short\n", None]
    stream = io.BytesIO(b"x" * 250 + b"\nnext\n")
    assert list(iter_lines(stream, limit=100)) == [None, b"next\n"]


def test_corrupt_gzip(tmp_path: Path) -> None:
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate")
    assert "decompress" in error_of(path).problem


def test_malformed_jsonl_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        b'{"text": "ok one"}\n{"text": "unterminated\n\xff\xfe\x00\x00garbage\n'
        b'{"text": "ok two", "title": {"nested": 1}}\n{"text": "ok three"}\n'
    )
    got = list(iter_inputs([str(path)]))
    assert len(got) == 5
    assert [isinstance(x, RawArticle) for x in got] == [True, False, False, False, True]
    assert [x.source for x in got if isinstance(x, InputError)] == [
        f"{path}:{n}" for n in (2, 3, 4)
    ]


@pytest.mark.parametrize("date", ["2023-02-31", "2023-13-01", "2023-13", "yesterday", "2023-02-29"])
def test_impossible_or_unreadable_published_dates(date: str) -> None:
    with pytest.raises(InputError) as info:
        prepare(RawArticle(origin="a.txt", text=ENGLISH, published=date))
    assert date in str(info.value) and "a.txt" in str(info.value)


def test_impossible_date_in_jsonl_is_an_error_for_that_article(tmp_path: Path) -> None:
    path = tmp_path / "dates.jsonl"
    path.write_text(
        json.dumps({"text": ENGLISH, "published": "2023-02-31"}) + "\n", encoding="utf-8"
    )
    [raw] = list(iter_inputs([str(path)]))
    assert isinstance(raw, RawArticle)
    with pytest.raises(InputError, match="2023-02-31"):
        prepare(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_any_bytes_give_an_article_or_an_error(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for name in ("x.txt", "x.jsonl", "x.html"):
            path = Path(folder) / name
            path.write_bytes(data)
            got = list(iter_inputs([str(path)]))
            assert got and all(isinstance(x, RawArticle | InputError) for x in got)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_cleaning_any_text_keeps_its_invariants(text: str) -> None:
    cleaned, removed = clean_text(text)
    assert "\n\n\n" not in cleaned and cleaned == cleaned.strip()
    assert all(r.text and r.reason for r in removed)
