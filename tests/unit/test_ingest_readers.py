"""Readers: file kinds, JSONL line accounting, stdin sniffing, directories, gzip."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.ingest.readers import iter_inputs, looks_like_html, text_article


def items(*paths: Path | str, recursive: bool = False) -> list[RawArticle | InputError]:
    return list(iter_inputs([str(p) for p in paths], recursive=recursive))


def test_txt_first_line_before_blank_line_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(
        "Talks resume in Cairo\n\nDelegates met on Monday.\n\nThey agreed.", encoding="utf-8"
    )
    [raw] = items(path)
    assert isinstance(raw, RawArticle)
    assert raw.title == "Talks resume in Cairo"
    assert raw.text is not None and raw.text.startswith("Delegates met on Monday.")
    assert raw.origin == str(path)


def test_txt_without_title_line_keeps_all_text() -> None:
    raw = text_article("x", "Delegates met on Monday\nand talked.\n\nThey agreed.")
    assert raw.title is None
    assert raw.text is not None and raw.text.startswith("Delegates met on Monday\nand talked.")


def test_html_file_gives_html(tmp_path: Path) -> None:
    path = tmp_path / "page.htm"
    path.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    [raw] = items(path)
    assert isinstance(raw, RawArticle) and raw.html is not None and raw.text is None


def test_jsonl_one_item_per_non_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl"
    lines = [
        json.dumps(
            {"text": "First article.", "id": "a1", "published": "2023-10-25", "source": "Wire"}
        ),
        "",
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"html": "<p>Second</p>", "title": "T", "url": "https://example.org/x"}),
        json.dumps({"title": "no body"}),
        json.dumps({"text": 42}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = items(path)
    assert len(got) == 6
    first, bad_json, a_list, second, no_body, not_str = got
    assert isinstance(first, RawArticle) and first.id == "a1" and first.published == "2023-10-25"
    assert first.origin == f"{path}:1"
    assert isinstance(bad_json, InputError) and bad_json.source == f"{path}:3"
    assert "malformed JSON" in bad_json.problem
    assert isinstance(a_list, InputError) and "JSON object" in a_list.problem
    assert isinstance(second, RawArticle) and second.html == "<p>Second</p>" and second.url
    assert isinstance(no_body, InputError) and "'text' or 'html'" in no_body.problem
    assert isinstance(not_str, InputError) and "'text' must be a string" in not_str.problem


def test_gzipped_inputs_are_read_transparently(tmp_path: Path) -> None:
    txt = tmp_path / "a.txt.gz"
    txt.write_bytes(gzip.compress(b"Title\n\nBody text here."))
    jsonl = tmp_path / "b.jsonl.gz"
    jsonl.write_bytes(gzip.compress(b'{"text": "one"}\n{"text": "two"}\n'))
    got = items(txt, jsonl)
    assert [type(x) for x in got] == [RawArticle, RawArticle, RawArticle]
    assert got[0].title == "Title" and got[2].text == "two"


def test_directory_needs_recursive(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Some text.", encoding="utf-8")
    (tmp_path / "b.html").write_text("<p>x</p>", encoding="utf-8")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    [error] = items(tmp_path)
    assert isinstance(error, InputError) and "directory" in error.problem
    found = items(tmp_path, recursive=True)
    assert sorted(Path(x.origin).name for x in found) == ["a.txt", "b.html"]


def test_empty_directory_is_reported(tmp_path: Path) -> None:
    [error] = items(tmp_path, recursive=True)
    assert isinstance(error, InputError) and "no .txt" in error.problem


def test_missing_file() -> None:
    [error] = items("/no/such/file.txt")
    assert isinstance(error, InputError) and error.problem == "no such file"


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        (b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        (b"Headline\n\nPlain story text.", "text"),
    ],
)
def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch, data: bytes, kind: str) -> None:
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    got = items("-")
    assert all(isinstance(x, RawArticle) for x in got)
    if kind == "jsonl":
        assert [x.origin for x in got] == ["<stdin>:1", "<stdin>:2"]
    elif kind == "html":
        assert got[0].html is not None
    else:
        assert got[0].title == "Headline" and got[0].text == "Plain story text."


def test_looks_like_html() -> None:
    assert looks_like_html("  <!doctype html><html>")
    assert looks_like_html("<div><p>text</p></div>")
    assert not looks_like_html("A story about <b> tags written as text")
