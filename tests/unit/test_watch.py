"""The watcher against a local HTTP server: new entries, conditional requests, broken and slow
feeds, redirects, duplicates, retries, folders, source health, the alert log and the webhook.

The ingest step is a recording fake (no model); the store-backed run is in
tests/integration/test_watch_cycles.py.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from test_watch_helpers import Route, Site, page, rss, serve

from eventwire.analyse import state
from eventwire.analyse.fetch import FetchError, HostPacer, HttpFetcher
from eventwire.analyse.sources import Source, read_sources
from eventwire.analyse.watch import Watcher
from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.store.db import open_store


@dataclass
class Outcome:
    written: int = 0
    duplicates: int = 0
    failed: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FakeIngest:
    """Records what it is given; fails inputs whose origin contains ``fail_on``."""

    calls: list[list[RawArticle | InputError]] = field(default_factory=list)
    fail_on: str = "never-matches"

    def __call__(self, items: list[RawArticle | InputError]) -> Outcome:
        self.calls.append(items)
        failures = [(i.origin, "unreadable") for i in items
                    if isinstance(i, RawArticle) and self.fail_on in i.origin]  # fmt: skip
        failures += [(i.source, i.problem) for i in items if isinstance(i, InputError)]
        return Outcome(written=len(items) - len(failures), failed=len(failures), failures=failures)

    @property
    def urls(self) -> list[str | None]:
        return [i.url for call in self.calls for i in call if isinstance(i, RawArticle)]


@pytest.fixture()
def site():  # type: ignore[no-untyped-def]
    with serve(Site()) as running:
        yield running


@pytest.fixture()
def fetcher():  # type: ignore[no-untyped-def]
    with HttpFetcher(timeout=0.5, retries=1, backoff=0.0, rate=0.0, allow_private=True) as client:
        yield client


def watcher(tmp_path: Path, sources: list[Source], fetcher: HttpFetcher, ingest: FakeIngest,
            **kw: int) -> Watcher:  # fmt: skip
    engine = open_store(str(tmp_path / "w.db")).engine  # migrations create the watcher's tables
    return Watcher(sources, engine=engine, ingest=ingest, fetcher=fetcher, **kw)


def health(w: Watcher) -> dict[str, dict[str, object]]:
    with Session(w.sessions.kw["bind"]) as session:
        return {row["location"]: row for row in state.health(session)}  # type: ignore[misc]


def add_articles(site: Site, *names: str) -> list[tuple[str, str, str]]:
    items = []
    for name in names:
        site.routes[f"/a/{name}"] = Route(page(f"Story {name}", f"Text of story {name}."))
        items.append((f"id-{name}", site.url(f"/a/{name}"), f"Story {name}"))
    return items


def test_new_entries_then_conditional_not_modified(tmp_path: Path, site: Site,
                                                   fetcher: HttpFetcher) -> None:  # fmt: skip
    site.routes["/feed"] = Route(rss("Wire", add_articles(site, "one", "two")),
                                 headers={"ETag": '"v1"'})  # fmt: skip
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest)
    first = w.cycle()
    assert ingest.urls == [site.url("/a/one"), site.url("/a/two")]
    raw = ingest.calls[0][0]
    assert isinstance(raw, RawArticle) and "Text of story one." in (raw.html or "")
    assert (raw.title, raw.source, raw.published) == ("Story one", "Wire", "2024-03-05")
    assert first.written == 2 and first.sources[0].ok
    second = w.cycle()
    assert second.sources[0].not_modified and len(ingest.calls) == 1
    assert site.hits("/feed")[-1].get("if-none-match") == '"v1"'
    assert site.hits("/feed")[0]["user-agent"].startswith("eventwire/")
    row = health(w)[site.url("/feed")]
    assert row["articles_total"] == 2 and row["articles_last_cycle"] == 0 and row["cycles"] == 2


def test_only_new_entries_are_ingested_and_duplicates_once(tmp_path: Path, site: Site,
                                                           fetcher: HttpFetcher) -> None:  # fmt: skip
    items = add_articles(site, "one")
    site.routes["/feed"] = Route(rss("Wire", items))
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest)
    w.cycle()
    newer = add_articles(site, "two")
    # a new entry, the old one again, and the new one repeated under another guid
    site.routes["/feed"] = Route(rss("Wire", newer + items + [("other-guid", *newer[0][1:])]))
    report = w.cycle()
    assert ingest.urls == [site.url("/a/one"), site.url("/a/two")]
    assert report.sources[0].new == 1 and len(site.hits("/a/one")) == 1


def test_same_story_in_two_feeds_is_read_once(tmp_path: Path, site: Site,
                                              fetcher: HttpFetcher) -> None:  # fmt: skip
    items = add_articles(site, "shared")
    site.routes["/f1"] = Route(rss("One", items))
    site.routes["/f2"] = Route(rss("Two", [("x-" + items[0][0], *items[0][1:])]))
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/f1")), Source("feed", site.url("/f2"))],
                fetcher, ingest)  # fmt: skip
    w.cycle()
    assert ingest.urls == [site.url("/a/shared")]


def test_broken_slow_and_missing_feeds_do_not_stop_the_others(tmp_path: Path, site: Site,
                                                              fetcher: HttpFetcher) -> None:  # fmt: skip
    site.routes["/broken"] = Route("<html><body>this is not a feed</body></html>")
    site.routes["/garbled"] = Route(b"\x00\x01\x02 <rss><chann")
    site.routes["/slow"] = Route(rss("Slow", []), delay=1.5)
    site.routes["/good"] = Route(rss("Good", add_articles(site, "ok")))
    names = ["/broken", "/garbled", "/slow", "/missing", "/good"]
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url(n)) for n in names], fetcher, ingest)
    started = time.monotonic()
    report = w.cycle()
    assert time.monotonic() - started < 8
    ok = {s.location.rsplit("/", 1)[1]: s.ok for s in report.sources}
    assert ok == {"broken": False, "garbled": False, "slow": False, "missing": False, "good": True}
    assert ingest.urls == [site.url("/a/ok")]
    rows = health(w)
    assert "timed out" in str(rows[site.url("/slow")]["last_error"])
    assert "HTTP 404" in str(rows[site.url("/missing")]["last_error"])
    assert rows[site.url("/broken")]["failures_in_row"] == 1
    assert rows[site.url("/good")]["last_success"] is not None


def test_redirected_article_is_fetched(tmp_path: Path, site: Site, fetcher: HttpFetcher) -> None:
    add_articles(site, "moved")
    site.routes["/old"] = Route(status=301, headers={"Location": "/a/moved"})
    site.routes["/feed"] = Route(rss("Wire", [("g1", site.url("/old"), "Moved")]))
    ingest = FakeIngest()
    watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest).cycle()
    [[raw]] = ingest.calls
    assert isinstance(raw, RawArticle) and "Text of story moved." in (raw.html or "")


def test_failed_pages_are_retried_then_given_up(tmp_path: Path, site: Site,
                                                fetcher: HttpFetcher) -> None:  # fmt: skip
    site.routes["/feed"] = Route(rss("Wire", [("g1", site.url("/gone"), "Gone")]))
    site.routes["/gone"] = Route("busy", status=503)  # may go away: retried
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest, max_attempts=2)
    for _ in range(3):
        report = w.cycle()
    assert len(site.hits("/gone")) == 2 * 2  # two cycles, each with the fetcher's one retry
    assert report.sources[0].ok and report.sources[0].new == 0
    # each failed page went to ingest as an input error (the store records it in failures)
    assert [[type(i) for i in call] for call in ingest.calls] == [[InputError], [InputError]]


def test_articles_that_fail_to_read_are_retried(tmp_path: Path, site: Site,
                                                fetcher: HttpFetcher) -> None:  # fmt: skip
    site.routes["/feed"] = Route(rss("Wire", add_articles(site, "bad", "good")))
    ingest = FakeIngest(fail_on="/a/bad")
    w = watcher(tmp_path, [Source("feed", site.url("/feed"))], fetcher, ingest)
    first = w.cycle()
    assert first.sources[0].failed == 1
    ingest.fail_on = "nothing"
    w.cycle()
    assert ingest.urls == [site.url("/a/bad"), site.url("/a/good"), site.url("/a/bad")]


def test_server_errors_are_retried_with_back_off(site: Site) -> None:
    site.routes["/busy"] = Route(rss("Busy", []), fail_first=2)
    sleeps: list[float] = []
    with HttpFetcher(
        retries=2, backoff=0.5, rate=0.0, sleep=sleeps.append, allow_private=True
    ) as client:
        assert client.get(site.url("/busy")).status == 200
    assert sleeps == [0.0, 0.0]  # the server's Retry-After: 0 wins over the back-off
    site.routes["/busy"].fail_first = 5
    with HttpFetcher(
        retries=2, backoff=0.5, rate=0.0, sleep=sleeps.append, allow_private=True
    ) as client:
        assert client.get(site.url("/busy")).status == 503
    site.routes.clear()
    with HttpFetcher(
        retries=2, backoff=0.5, rate=0.0, sleep=sleeps.append, allow_private=True
    ) as client:
        client.pacer.sleep = sleeps.append
        assert client.get(site.url("/nothing")).status == 404  # not retried
    assert len(site.hits("/nothing")) == 1


def test_connection_errors_raise_after_retries() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    sleeps: list[float] = []
    with (
        HttpFetcher(
            retries=2, backoff=0.5, rate=0.0, sleep=sleeps.append, allow_private=True
        ) as client,
        pytest.raises(FetchError, match="ConnectError"),
    ):
        client.get(f"http://127.0.0.1:{port}/feed")
    assert sleeps == [0.5, 1.0]


def test_host_pacer_spaces_requests_per_host() -> None:
    clock = [100.0]
    slept: list[float] = []
    pacer = HostPacer(2.0, clock=lambda: clock[0], sleep=slept.append)
    pacer.wait("http://a.example/1")
    pacer.wait("http://b.example/1")
    clock[0] += 0.5
    pacer.wait("http://a.example/2")
    assert slept == [1.5]


def test_folder_source_new_and_changed_files(tmp_path: Path, fetcher: HttpFetcher) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "one.txt").write_text("Title one\n\nThe council met on Monday.")
    ingest = FakeIngest()
    w = watcher(tmp_path, [Source("folder", str(folder))], fetcher, ingest)
    w.cycle()
    w.cycle()
    assert len(ingest.calls) == 1
    (folder / "two.txt").write_text("Title two\n\nThe army withdrew.")
    (folder / "ignored.bin").write_bytes(b"\x00")
    w.cycle()
    assert [i.origin for i in ingest.calls[1]] == [str(folder / "two.txt")]  # type: ignore[union-attr]
    time.sleep(0.01)
    (folder / "one.txt").write_text("Title one\n\nThe council met again on Tuesday.")
    w.cycle()
    assert [i.origin for i in ingest.calls[2]] == [str(folder / "one.txt")]  # type: ignore[union-attr]


def test_missing_folder_is_a_source_error(tmp_path: Path, fetcher: HttpFetcher) -> None:
    w = watcher(tmp_path, [Source("folder", str(tmp_path / "nope"))], fetcher, FakeIngest())
    assert "folder not found" in str(w.cycle().sources[0].error)


def test_sources_file(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    path = tmp_path / "sources.txt"
    path.write_text("# feeds\nhttps://news.example/rss#top\n\ninbox  # a folder\n"
                    "https://news.example/rss#top\n")  # fmt: skip
    assert read_sources(path) == [
        Source("feed", "https://news.example/rss#top"),
        Source("folder", str((tmp_path / "inbox").resolve())),
    ]
    path.write_text("# nothing\n")
    with pytest.raises(InputError, match="lists no feed"):
        read_sources(path)


def test_alert_log_logs_once_and_posts_to_webhook(tmp_path: Path, site: Site,
                                                  fetcher: HttpFetcher) -> None:  # fmt: skip
    from test_trends import build_store

    from eventwire.analyse.alerts import AlertLog, webhook_poster
    from eventwire.analyse.rules import Rule
    from eventwire.store.db import open_store

    db = build_store(tmp_path / "s.db")
    site.routes["/hook"] = Route("ok")
    rules = [Rule(name="fighting", categories=("ASSAULT",), threshold=2)]
    log_path = tmp_path / "alerts.jsonl"
    store = open_store(db)
    with store.session() as session:
        new, errors = AlertLog(rules, log_path, webhook_poster(fetcher, site.url("/hook"))
                               ).check(session, at="t1")  # fmt: skip
        again, _ = AlertLog(rules, log_path).check(session, at="t2")
    store.close()
    assert [a["rule"] for a in new] == ["fighting"] and errors == [] and again == []
    [(method, _, headers, body)] = [r for r in site.requests if r[1] == "/hook"]
    assert method == "POST" and json.loads(body)["key"] == new[0]["key"]
    assert len(log_path.read_text().splitlines()) == 1


def test_webhook_failure_is_reported_not_raised(tmp_path: Path, fetcher: HttpFetcher,
                                                site: Site) -> None:  # fmt: skip
    from test_trends import build_store

    from eventwire.analyse.alerts import AlertLog, webhook_poster
    from eventwire.analyse.rules import Rule
    from eventwire.store.db import open_store

    store = open_store(build_store(tmp_path / "s.db"))
    rules = [Rule(name="any", threshold=1)]
    with store.session() as session:
        new, errors = AlertLog(rules, tmp_path / "a.jsonl",
                               webhook_poster(fetcher, site.url("/no-hook"))).check(session, at="t")  # fmt: skip
    store.close()
    assert new and len(errors) == len(new) and "HTTP 404" in errors[0]


def test_watch_once_cli_reports_failing_sources(tmp_path: Path, site: Site) -> None:
    """The command end to end, with feeds that hold nothing to read (so no model is loaded)."""
    from click.testing import CliRunner

    from eventwire.cli import main

    site.routes["/empty"] = Route(rss("Empty", []), headers={"ETag": '"e"'})
    sources = tmp_path / "sources.txt"
    sources.write_text(f"{site.url('/empty')}\n{site.url('/missing')}\n")
    args = ["watch", str(sources), "--once", "--db", str(tmp_path / "w.db"), "--rate", "0",
            "--alerts-log", str(tmp_path / "a.jsonl"), "--timeout", "2",
            "--allow-private"]  # fmt: skip
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 1, out.output
    assert f"{site.url('/missing')}: ERROR" in out.output and "HTTP 404" in out.output
    assert "cycle 1 · 2 sources · 0 new articles" in out.output
    sources.write_text(f"{site.url('/empty')}\n")
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0 and "(not modified)" in out.output


def test_watch_rejects_a_bad_interval(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from eventwire.cli import main

    sources = tmp_path / "s.txt"
    sources.write_text("https://news.example/rss\n")
    out = CliRunner().invoke(main, ["watch", str(sources), "--every", "soon"])
    assert out.exit_code == 2 and "not a duration" in out.output
