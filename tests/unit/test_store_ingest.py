"""Ingest, resume, failures, feeds, recode and check, with a blank spaCy pipeline (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from eventwire import engine
from eventwire.engine import EngineOptions, extract_batch
from eventwire.ingest import RawArticle
from eventwire.store import maintain
from eventwire.store.db import open_store
from eventwire.store.feeds import is_feed_file, iter_corpus_inputs
from eventwire.store.ingest import ingest_paths
from eventwire.store.stamp import Stamp

BLANK = EngineOptions(model="blank:en", batch_size=2)

RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Test Wire</title>
<item><title>Talks</title><link>http://example.org/1</link>
<pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate>
<description>Officials from two countries held talks on Monday.</description></item>
<item><title>Empty</title><link>http://example.org/2</link><description></description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Atom Wire</title><entry><title>Strike</title><link href="http://example.org/a"/>
<updated>2024-05-01T08:00:00Z</updated>
<content type="html">&lt;p&gt;Workers went on strike in the port on Tuesday.&lt;/p&gt;</content></entry></feed>"""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Title A\n\nRebels attacked a town on Tuesday.\n")
    (folder / "sub" / "b.jsonl").write_text(
        '{"text": "Ministers met in Geneva.", "published": "2024-03-04", "source": "Wire"}\n'
        '{"text": ""}\n'
        "not json\n"
    )
    (folder / "feed.rss").write_text(RSS)
    (folder / "copy.txt").write_text("Another title\n\nRebels attacked a town on Tuesday.\n")
    return folder


def test_feeds_are_recognised_and_read(tmp_path: Path) -> None:
    (tmp_path / "x.xml").write_text(ATOM)
    (tmp_path / "y.xml").write_text("<config><a/></config>")
    assert is_feed_file(tmp_path / "x.xml") and not is_feed_file(tmp_path / "y.xml")
    [entry] = list(iter_corpus_inputs([tmp_path / "x.xml"]))
    assert isinstance(entry, RawArticle)
    assert (entry.title, entry.url, entry.published, entry.source) == (
        "Strike",
        "http://example.org/a",
        "2024-05-01",
        "Atom Wire",
    )
    assert entry.html and "strike" in entry.html


def test_ingest_stores_articles_and_records_failures(corpus: Path, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "i.db"))
    summary = ingest_paths(store, [corpus, tmp_path / "missing.txt"], BLANK)
    assert summary.written == 3  # a.txt (its copy is a duplicate), one JSONL line, one feed entry
    assert summary.duplicates == 1
    reasons = sorted(r for _, r in summary.failures)
    assert len(reasons) == 4 and any("no such file" in r for r in reasons)
    assert any("malformed JSON" in r for r in reasons)
    with store.session() as session:
        stored = session.execute(text("SELECT count(*) FROM failures")).scalar()
        feed = session.execute(
            text("SELECT source, url FROM articles WHERE url LIKE 'http%'")
        ).one()
    assert stored == 4 and tuple(feed) == ("Test Wire", "http://example.org/1")
    assert all(c.ok for c in maintain.check(store))


def test_rerun_resumes_and_changes_nothing(corpus: Path, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "r.db"))
    ingest_paths(store, [corpus], BLANK)
    before = maintain.counts(store)
    again = ingest_paths(store, [corpus], BLANK)
    assert (again.written, again.failed, again.duplicates) == (0, 0, 0)
    assert again.resumed == 7
    assert maintain.counts(store) == before


def test_one_bad_article_does_not_sink_its_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    real = engine._read

    def fragile(raws, nlp):  # type: ignore[no-untyped-def]
        if any("BOOM" in (r.text or "") for r in raws):
            raise RuntimeError("stage crashed")
        return real(raws, nlp)

    monkeypatch.setattr(engine, "_read", fragile)
    raws = [RawArticle("one", text="A quiet day."), RawArticle("two", text="BOOM went the stage.")]
    results = extract_batch(raws, "blank:en", ())
    assert results[0].record.error is None
    assert results[1].record.error == "two: extraction failed: RuntimeError: stage crashed"


def test_recode_replaces_stale_codings_and_check_sees_fts_drift(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(str(tmp_path / "c.db"))
    ingest_paths(store, [corpus], BLANK)
    newer = Stamp("9.9", "blank:en", {"verbs.tsv": "2"})
    monkeypatch.setattr(maintain, "current_stamp", lambda *a, **k: newer)
    summary = maintain.recode(store, BLANK)
    assert (summary.stale, summary.recoded, summary.failed) == (3, 3, 0)
    assert maintain.recode(store, BLANK).stale == 0
    assert all(c.ok for c in maintain.check(store))
    with store.session() as session, session.begin():
        session.execute(text("DELETE FROM fts_article"))
    failed = [c.name for c in maintain.check(store) if not c.ok]
    assert failed == ["search index in step for articles"]
