"""Inputs that are unreadable, oddly encoded or too big say so and never end a run (issue 19,
items 6, 7 and 16).

Tests run as root here, and root ignores file modes, so "unreadable" is made by patching the
one call that would fail for another user (listing a folder, looking at or opening a file) to
raise the PermissionError it would raise.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.ingest import RawArticle, decode
from eventwire.ingest.readers import iter_inputs, read_path
from eventwire.store.feeds import MAX_FEED_ENTRIES, iter_corpus_inputs

ENGLISH = "The council met on Monday and agreed to repair the bridge before the winter rains.\n"


def denied(path: Path) -> PermissionError:
    return PermissionError(13, "Permission denied", str(path))


def problems(items: list[RawArticle | InputError]) -> dict[str, str]:
    return {Path(i.source).name: i.problem for i in items if isinstance(i, InputError)}


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl", "a.txt.gz"])
def test_permission_denied_is_reported_as_such(tmp_path: Path, name: str,
                                               monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_bytes(b'{"text": "x"}\n')
    real = decode.open_input

    def guarded(p: Path):  # type: ignore[no-untyped-def]
        if p == path:
            raise denied(p)
        return real(p)

    monkeypatch.setattr(decode, "open_input", guarded)
    monkeypatch.setattr("eventwire.ingest.readers.open_input", guarded)
    [error] = list(read_path(path))
    assert isinstance(error, InputError)
    assert "permission denied" in error.problem and "decompress" not in error.problem


def test_a_broken_gzip_still_says_cannot_decompress(tmp_path: Path) -> None:
    path = tmp_path / "a.txt.gz"
    path.write_bytes(b"not gzip at all")
    [error] = list(read_path(path))
    assert isinstance(error, InputError) and "cannot decompress" in error.problem


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes((ENGLISH * 5 + "Café déjà vu.\n").encode(codec))
    [article] = list(read_path(path))
    assert isinstance(article, RawArticle) and article.text is not None
    assert article.text.startswith("The council met") and "Café déjà vu." in article.text


def test_binary_with_nul_bytes_is_still_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(256)) * 20)
    [error] = list(read_path(path))
    assert isinstance(error, InputError) and "binary" in error.problem
    path.write_bytes(b"\x00\x00\x00A" * 500)  # UTF-32-like: NULs at both parities
    [error] = list(read_path(path))
    assert isinstance(error, InputError) and "binary" in error.problem


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    (tmp_path / "open").mkdir()
    (tmp_path / "open" / "one.txt").write_text(ENGLISH)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "two.txt").write_text(ENGLISH)
    (tmp_path / "feed.xml").write_text('<?xml version="1.0"?><rss version="2.0"></rss>')
    return tmp_path


def test_an_unreadable_sub_folder_is_a_recorded_failure(tree: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    real = os.scandir

    def scandir(path=".", *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == tree / "locked":
            raise denied(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    (tree / "feed.xml").unlink()
    for items in (list(iter_corpus_inputs([tree])), list(iter_inputs([tree], recursive=True))):
        assert "permission denied" in problems(items)["locked"]
        assert [i.origin for i in items if isinstance(i, RawArticle)] == [
            str(tree / "open" / "one.txt")
        ]


def test_a_path_inside_an_unreadable_folder_does_not_end_the_run(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.stat

    def stat(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.parent == tree / "locked":
            raise denied(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    inputs = [tree / "locked" / "two.txt", tree / "open" / "one.txt"]
    for items in (list(iter_corpus_inputs(inputs)), list(iter_inputs(inputs))):
        assert "permission denied" in problems(items)["two.txt"]
        assert any(isinstance(i, RawArticle) for i in items)


def test_an_unreadable_xml_file_in_a_folder_does_not_end_the_run(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = Path.open

    def opener(self: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.name == "feed.xml":
            raise denied(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", opener)
    items = list(iter_corpus_inputs([tree]))
    assert "permission denied" in problems(items)["feed.xml"]
    assert len([i for i in items if isinstance(i, RawArticle)]) == 2


def test_a_local_feed_past_the_input_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.rss"
    with path.open("wb") as fh:
        fh.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        fh.truncate(decode.MAX_INPUT_BYTES + 1)  # sparse: no 20 MB written
    [error] = list(iter_corpus_inputs([path]))
    assert isinstance(error, InputError) and "too large" in error.problem


def test_a_feed_with_too_many_items_is_refused_before_parsing(tmp_path: Path) -> None:
    item = "<item><title>T</title><description>Some text.</description></item>"
    body = item * (MAX_FEED_ENTRIES + 1)
    path = tmp_path / "many.rss"
    path.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel>{body}</channel></rss>')
    [error] = list(iter_corpus_inputs([path]))
    assert isinstance(error, InputError) and f"more than the {MAX_FEED_ENTRIES:,}" in error.problem
