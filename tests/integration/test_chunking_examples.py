"""Reading in chunks changes no record: every bundled example, forced through small chunks,
gives the record it gives read whole (entities, name clusters, quotes, events, merging)."""

from __future__ import annotations

import pytest

from eventwire import chunking, examples
from eventwire.ingest import RawArticle
from eventwire.reader import read_many

pytestmark = pytest.mark.integration


def _raws() -> list[RawArticle]:
    raws = []
    for path in examples.example_paths():
        text = path.read_text(encoding="utf-8")
        field = "html" if path.suffix in (".html", ".htm") else "text"
        raws.append(RawArticle(origin=path.name, **{field: text}))
    return raws


@pytest.mark.parametrize("chunk_chars", [600, 1500])
def test_examples_read_in_chunks_give_the_same_records(nlp, monkeypatch, chunk_chars) -> None:
    raws = _raws()
    whole = [record.to_json() for record in read_many(raws, nlp=nlp)]
    monkeypatch.setattr(chunking, "LONG_TEXT_CHARS", 500)
    monkeypatch.setattr(chunking, "CHUNK_CHARS", chunk_chars)
    split = [record.to_json() for record in read_many(raws, nlp=nlp)]
    assert sum(len(r.text or r.html or "") > 500 for r in raws) >= 5  # most were chunked
    for raw, a, b in zip(raws, whole, split, strict=True):
        assert a == b, raw.origin
