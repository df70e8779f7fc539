"""The watcher reads every new entry and retries only what can change (issue 19, items 11 and
16; issue 16, finding 10), against a local server and a recording fake ingest (no model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from test_watch import FakeIngest, add_articles, watcher
from test_watch_helpers import Route, Site, rss, serve

from eventwire.analyse.fetch import HttpFetcher
from eventwire.analyse.sources import Source
from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.store.schema import SeenEntry


@pytest.fixture()
def site():  # type: ignore[no-untyped-def]
    with serve(Site()) as running:
        yield running


@pytest.fixture()
def fetcher():  # type: ignore[no-untyped-def]
    with HttpFetcher(timeout=0.5, retries=0, backoff=0.0, rate=0.0, allow_private=True) as client:
        yield client


def content_feed(count: int) -> str:
    """An RSS feed whose entries carry their text and no link (nothing else to fetch)."""
    items = "".join(
        f'<item><guid isPermaLink="false">g{n}</guid><title>Entry {n}</title>'
        f"<description>Text of entry {n} in the feed.</description></item>"
        for n in range(count)
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>'


def entry_rows(w, source: str) -> dict[str, SeenEntry]:  # type: ignore[no-untyped-def]
    with Session(w.sessions.kw["bind"]) as session:
        rows = session.scalars(select(SeenEntry).where(SeenEntry.source == source))
        return {row.key: row for row in rows}


def test_every_new_entry_is_read_over_cycles_even_with_an_etag(tmp_path: Path, site: Site,
                                                               fetcher: HttpFetcher) -> None:  # fmt: skip
    site.routes["/feed"] = Route(content_feed(25), headers={"ETag": '"big"'})
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest, max_entries=10)
    reports = [w.cycle() for _ in range(4)]
    read = [i.origin.rsplit("#", 1)[1] for call in ingest.calls for i in call]
    assert sorted(read) == sorted(f"g{n}" for n in range(25)) and len(read) == 25
    assert [r.sources[0].deferred for r in reports[:3]] == [15, 5, 0]
    assert reports[3].sources[0].not_modified  # all read: the validators are kept again


def test_a_failed_article_is_retried_while_the_feed_answers_304(tmp_path: Path, site: Site,
                                                                fetcher: HttpFetcher) -> None:  # fmt: skip
    items = add_articles(site, "late")
    site.routes["/feed"] = Route(rss("Wire", items), headers={"ETag": '"v1"'})
    site.routes["/a/late"] = Route("busy", status=503)
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest)
    first = w.cycle()
    [[failed]] = ingest.calls
    assert isinstance(failed, InputError) and "HTTP 503" in failed.problem  # -> store failures
    assert first.sources[0].failed == 1
    add_articles(site, "late")  # the page is back
    second = w.cycle()
    assert second.sources[0].not_modified and second.sources[0].retried == 1
    raw = ingest.calls[-1][0]
    assert isinstance(raw, RawArticle) and raw.url == site.url("/a/late")
    assert entry_rows(w, site.url("/feed"))["id-late"].status == "ingested"
    w.cycle()
    assert len(site.hits("/a/late")) == 2  # ingested: not fetched again


def test_a_page_gone_for_good_is_not_retried(tmp_path: Path, site: Site,
                                             fetcher: HttpFetcher) -> None:  # fmt: skip
    site.routes["/feed"] = Route(rss("Wire", [("g1", site.url("/gone"), "Gone"),
                                              ("g2", "file:///etc/passwd", "Local")]))  # fmt: skip
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest)
    for _ in range(3):
        w.cycle()
    assert len(site.hits("/gone")) == 1
    rows = entry_rows(w, site.url("/feed"))
    assert rows["g1"].status == rows["g2"].status == "refused"
    assert "HTTP 404" in (rows["g1"].last_error or "") and "only http" in (
        rows["g2"].last_error or ""
    )


@pytest.mark.parametrize(("route", "retried"), [(Route("nope", status=404), False),
                                               (Route("<html><p>Not a feed</p></html>"), False),
                                               (Route("busy", status=503), True),
                                               (Route("slow", status=429), True)])  # fmt: skip
def test_a_feed_error_that_cannot_go_away_is_not_retried(tmp_path: Path, site: Site,
                                                         fetcher: HttpFetcher, route: Route,
                                                         retried: bool) -> None:  # fmt: skip
    site.routes["/feed"] = route
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, FakeIngest())
    first, second = w.cycle(), w.cycle()
    assert not first.sources[0].ok and not second.sources[0].ok
    assert len(site.hits("/feed")) == (2 if retried else 1)
    assert ("not retried" in (second.sources[0].error or "")) is not retried


def test_an_unreadable_sub_folder_of_a_watched_folder_is_a_failure(
    tmp_path: Path, fetcher: HttpFetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As root nothing is unreadable: listing the folder is made to fail as it would for a user."""
    import os

    folder = tmp_path / "inbox"
    (folder / "locked").mkdir(parents=True)
    (folder / "one.txt").write_text("A made-up report of a council meeting on Monday.")
    real = os.scandir

    def scandir(path=".", *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path) == folder / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("folder", str(folder))], fetcher, ingest)
    report = w.cycle()
    [items] = ingest.calls
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.source for e in errors] == [str(folder / "locked")]
    assert "permission denied" in errors[0].problem and report.sources[0].failed == 1
    assert [i.origin for i in items if isinstance(i, RawArticle)] == [str(folder / "one.txt")]
