"""The watcher: one cycle fetches every source, ingests what is new and records source health.

A cycle, for each feed: a conditional GET (ETag / Last-Modified from the last success); on 304
nothing is new. Otherwise each entry not seen before (by entry id, else link, within the feed;
and by URL across feeds) is followed to its article page, and the pages go to ``ingest`` in one
call per source. At most ``max_entries`` new entries are taken per cycle (after leaving out
those already done); when more are waiting, the feed's validators are not kept, so the next
cycle reads the feed in full again and takes the next ones. An entry whose page cannot be
fetched, or whose article fails to read, is recorded in the store's ``failures`` and retried
in later cycles (by its URL, even while the feed answers 304) up to ``max_attempts`` times;
an error that cannot go away (an HTTP 4xx other than 408 and 429, a refused address) is not
retried. A feed answering such an error, or that is no feed, is not fetched again in this
run (its error stays reported each cycle). For each folder: files not seen before,
or changed (size or modification time), are ingested. Every source's outcome is recorded in the
watcher's tables (:mod:`eventwire.analyse.state`); one source failing, for any reason, is
recorded as its error and the cycle goes on with the next.

``ingest`` is any callable taking a list of RawArticles/InputErrors and returning an object
with ``written``, ``duplicates``, ``failed`` and ``failures`` (``[(origin, reason)]``), such as
the store's :func:`eventwire.store.ingest.ingest` bound to a store (:func:`store_ingest`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from eventwire.analyse import state
from eventwire.analyse.fetch import (
    Fetcher,
    FetchError,
    RefusedURL,
    conditional_headers,
    permanent_status,
)
from eventwire.analyse.sources import FeedEntry, Source, file_key, parse_feed
from eventwire.errors import EventwireError, InputError
from eventwire.ingest import RawArticle


class IngestOutcome(Protocol):
    written: int
    duplicates: int
    failed: int
    failures: list[tuple[str, str]]


IngestFn = Callable[[list[RawArticle | InputError]], IngestOutcome]


@dataclass(slots=True)
class SourceReport:
    """How one source went in one cycle."""

    location: str
    kind: str
    ok: bool = True
    error: str | None = None
    not_modified: bool = False
    new: int = 0  # entries or files offered to ingest
    written: int = 0  # new articles stored
    duplicates: int = 0
    failed: int = 0  # pages or articles that could not be fetched or read (retried later)
    deferred: int = 0  # new entries past max_entries, left for the next cycle
    retried: int = 0  # entries failed in an earlier cycle, tried again


@dataclass(slots=True)
class CycleReport:
    number: int
    started: str
    finished: str = ""
    sources: list[SourceReport] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    alert_errors: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        return sum(s.written for s in self.sources)

    @property
    def failing(self) -> list[SourceReport]:
        return [s for s in self.sources if not s.ok]


@dataclass(slots=True)
class _Pending:
    """An entry or file on its way to ingest: what to mark once the outcome is known."""

    key: str
    url: str | None
    origin: str
    item: RawArticle | InputError | None
    error: str | None = None
    permanent: bool = False  # an error that trying again cannot change


class _GiveUp(FetchError):
    """A source error that asking again will not change (4xx, no feed, a refused URL)."""


class Watcher:
    """Runs cycles over ``sources``; state lives in ``engine``'s database (see module)."""

    def __init__(self, sources: Sequence[Source], *, engine: Engine, ingest: IngestFn,
                 fetcher: Fetcher, max_attempts: int = 3, max_entries: int = 200) -> None:  # fmt: skip
        self.sources = list(sources)
        self.ingest = ingest
        self.fetcher = fetcher
        self.max_attempts = max_attempts
        self.max_entries = max_entries
        self.sessions = sessionmaker(engine, expire_on_commit=False)
        self.cycles = 0
        #: Sources given up on in this run, with their error (see :class:`_GiveUp`).
        self.given_up: dict[str, str] = {}

    def cycle(self) -> CycleReport:
        """One pass over every source; never raises for a source's failure."""
        self.cycles += 1
        report = CycleReport(number=self.cycles, started=state.now())
        for source in self.sources:
            report.sources.append(self._guarded(source))
        report.finished = state.now()
        return report

    def _guarded(self, source: Source) -> SourceReport:
        """Run one source; any failure becomes its recorded error, never the cycle's end."""
        report = SourceReport(source.location, source.kind)
        if source.location in self.given_up:
            error = self.given_up[source.location]
            self._fail(source, report, f"{error} (not retried: fix the source, restart watch)")
            return report
        try:
            self._run(source, report)
        except _GiveUp as exc:
            self.given_up[source.location] = str(exc)
            self._fail(source, report, str(exc))
        except (EventwireError, OSError, ValueError) as exc:
            self._fail(source, report, str(exc))
        except Exception as exc:  # noqa: BLE001 - a watcher must outlive any one source's bug
            self._fail(source, report, f"internal error: {type(exc).__name__}: {exc}")
        return report

    def _fail(self, source: Source, report: SourceReport, error: str) -> None:
        report.ok, report.error = False, error
        with self.sessions.begin() as session:
            row = state.source_row(session, source.location, source.kind)
            state.record_failure(row, error, at=state.now())

    def _run(self, source: Source, report: SourceReport) -> None:
        with self.sessions() as session:
            row = state.source_row(session, source.location, source.kind)
            etag, modified = row.etag, row.last_modified
            seen = state.seen_entries(session, source.location)
        if source.kind == "feed":
            pending, validators = self._feed(source, etag, modified, seen, report)
        else:
            pending, validators = self._folder(source, seen), (etag, modified)
        self._ingest(source, pending, report)
        with self.sessions.begin() as session:
            row = state.source_row(session, source.location, source.kind)
            row.etag, row.last_modified = validators
            state.record_success(row, report.written, at=state.now())

    def _done(self, known: state.SeenEntry | None) -> bool:
        """Ingested already, refused, or tried ``max_attempts`` times: not to be tried again."""
        return known is not None and (
            known.status in ("ingested", "refused") or known.attempts >= self.max_attempts
        )

    # feeds ---------------------------------------------------------------------------------

    def _feed(self, source: Source, etag: str | None, modified: str | None,
              seen: dict[str, state.SeenEntry], report: SourceReport
              ) -> tuple[list[_Pending], tuple[str | None, str | None]]:  # fmt: skip
        try:
            headers = conditional_headers(etag, modified)
            response = self.fetcher.get(source.location, headers=headers)
        except RefusedURL as exc:
            raise _GiveUp(str(exc)) from exc
        if response.status == 304:
            report.not_modified = True
            return self._retries(seen, set(), report), (etag, modified)
        if not response.ok:
            error = f"{source.location}: HTTP {response.status}"
            raise _GiveUp(error) if permanent_status(response.status) else FetchError(error)
        from eventwire.store.feeds import too_many_entries

        oversized = too_many_entries(response.content)
        if oversized is not None:
            raise _GiveUp(f"{source.location}: {oversized}")
        try:
            title, entries = parse_feed(response.content)
        except InputError as exc:
            raise _GiveUp(f"{source.location}: {exc.problem}") from exc
        fresh = self._fresh_entries(entries, seen)
        report.deferred = max(0, len(fresh) - self.max_entries)
        fresh = fresh[: self.max_entries]
        pending = [self._page(source, title, entry) for entry in fresh]
        pending += self._retries(seen, {e.key for e in entries}, report)
        validators = (response.headers.get("etag"), response.headers.get("last-modified"))
        return pending, (etag, modified) if report.deferred else validators

    def _fresh_entries(self, entries: list[FeedEntry],
                       seen: dict[str, state.SeenEntry]) -> list[FeedEntry]:  # fmt: skip
        """Entries to try now: not ingested, under the attempt limit, each key and URL once.
        All of them: the caller takes the first ``max_entries`` (slicing first lost the rest)."""
        keys: set[str] = set()
        fresh = []
        for entry in entries:
            if (
                not self._done(seen.get(entry.key))
                and entry.key not in keys
                and (not entry.link or entry.link not in keys)
            ):
                keys.update(k for k in (entry.key, entry.link) if k)
                fresh.append(entry)
        with self.sessions() as session:
            elsewhere = state.ingested_urls(session, [e.link for e in fresh if e.link])
        return [e for e in fresh if not e.link or e.link not in elsewhere]

    def _retries(self, seen: dict[str, state.SeenEntry], in_feed: set[str],
                 report: SourceReport) -> list[_Pending]:  # fmt: skip
        """Entries that failed in an earlier cycle and are no longer offered by the feed (it
        answered 304, or dropped them): fetched again by their URL."""
        waiting = [
            known
            for key, known in seen.items()
            if key not in in_feed and known.status == "failed" and known.url
            and not self._done(known)
        ]  # fmt: skip
        report.retried = len(waiting)
        return [self._fetch(known.key, str(known.url), None, None, None) for known in waiting]

    def _page(self, source: Source, feed_title: str | None, entry: FeedEntry) -> _Pending:
        """Fetch an entry's article page (or use the entry's own content when it has no link)."""
        if not entry.link:
            from eventwire.store.feeds import entry_article

            item = entry_article(f"{source.location}#{entry.key}", entry.raw, source=feed_title)
            return _Pending(entry.key, None, f"{source.location}#{entry.key}", item)
        return self._fetch(entry.key, entry.link, entry.title, feed_title, entry.published)

    def _fetch(self, key: str, url: str, title: str | None, feed_title: str | None,
               published: str | None) -> _Pending:  # fmt: skip
        """An article page as a RawArticle; a page that cannot be had becomes an InputError, so
        that ingest records it in the store's ``failures`` like any unreadable input."""
        permanent = False
        try:
            response = self.fetcher.get(url)
        except FetchError as exc:
            error, permanent = str(exc), isinstance(exc, RefusedURL)
        else:
            if response.ok and response.text.strip():
                raw = RawArticle(origin=url, html=response.text, title=title, url=url,
                                 source=feed_title, published=published)  # fmt: skip
                return _Pending(key, url, url, raw)
            error = f"{url}: HTTP {response.status}" if not response.ok else "empty page"
            permanent = not response.ok and permanent_status(response.status)
        problem = error.removeprefix(f"{url}: ")
        return _Pending(key, url, url, InputError(url, problem), error=error, permanent=permanent)

    # folders -------------------------------------------------------------------------------

    def _folder(self, source: Source, seen: dict[str, state.SeenEntry]) -> list[_Pending]:
        folder = Path(source.location)
        if not folder.is_dir():
            raise InputError(source.location, "folder not found")
        from eventwire.store.feeds import iter_corpus_inputs

        files, errors = _article_files(folder)
        pending = [  # the parts that cannot be listed or looked at, recorded as failures
            _Pending(e.source, None, e.source, e)
            for e in errors
            if not self._done(seen.get(e.source))
        ]
        for path in files:
            key = file_key(path)
            if self._done(seen.get(key)):
                continue
            for item in iter_corpus_inputs([path]):
                pending.append(_Pending(key, None, str(path), item))
        return pending

    # ingest --------------------------------------------------------------------------------

    def _ingest(self, source: Source, pending: list[_Pending], report: SourceReport) -> None:
        """Ingest the fetched items in one call, then mark every pending entry."""
        items = [p.item for p in pending if p.item is not None]
        report.new = len({p.key for p in pending})
        failures: dict[str, str] = {}
        if items:
            outcome = self.ingest(items)
            report.written, report.duplicates = outcome.written, outcome.duplicates
            failures = dict(outcome.failures)
        with self.sessions.begin() as session:
            marked: set[str] = set()
            for item in pending:
                error = item.error or _failure_for(item.origin, failures)
                report.failed += error is not None
                if item.key not in marked:
                    marked.add(item.key)
                    state.mark(session, source.location, item.key, item.url, error=error,
                               at=state.now(), permanent=item.permanent)  # fmt: skip


def _failure_for(origin: str, failures: dict[str, str]) -> str | None:
    """The ingest failure reported for an input (feeds in folders give ``path#n`` origins)."""
    if origin in failures:
        return failures[origin]
    return next((reason for o, reason in failures.items() if o.startswith(origin + "#")), None)


def _article_files(folder: Path) -> tuple[list[Path], list[InputError]]:
    """Article files and feeds under ``folder``, and an error for each part that cannot be
    listed or looked at (see :func:`eventwire.ingest.readers.walk_files`)."""
    from eventwire.ingest.readers import KNOWN_SUFFIXES, walk_files
    from eventwire.store.feeds import is_feed_file

    files, errors = walk_files(folder)
    wanted = set(KNOWN_SUFFIXES)
    return [p for p in files if is_feed_file(p) or _suffix(p) in wanted], errors


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def store_ingest(store: Any, *, model: str | None = None, resolve: bool = True) -> IngestFn:
    """An ``ingest`` callable writing to an open store (eventwire.store) in this process.

    After a cycle that stored new articles, or when an earlier run left codings unresolved
    (killed during resolution, or ``--no-resolve``), cross-article resolution runs so that actor
    names in trends and alerts are corpus actors.
    """
    from eventwire.engine import EngineOptions
    from eventwire.store.ingest import ingest
    from eventwire.store.maintain import has_pending_resolution

    options = EngineOptions(workers=1, model=model)

    def run(items: list[RawArticle | InputError]) -> IngestOutcome:
        summary = ingest(store, items, options)
        if resolve and (summary.written or has_pending_resolution(store)):
            _resolve(store)
        return summary

    return run


def _resolve(store: Any) -> None:
    from eventwire.resolve import resolve_store

    resolve_store(store)
