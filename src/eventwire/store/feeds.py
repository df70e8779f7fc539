"""RSS/Atom feed files as inputs, and the corpus walk over files, folders and feeds.

A feed file (``.rss``, ``.atom``, or ``.xml`` whose head names a feed; at most the input cap
of bytes and :data:`MAX_FEED_ENTRIES` entries) yields one RawArticle per entry: the entry's full content when the feed carries it, else its summary, with the entry's
title, link, publication date and the feed's title as source. Everything else goes through the
ingest readers (:func:`eventwire.ingest.readers.iter_inputs`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from eventwire.errors import InputError
from eventwire.ingest import RawArticle

FEED_SUFFIXES = {".rss", ".atom"}
FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")
#: Most entries read from one feed, file or fetched (a bigger one is refused, not parsed).
MAX_FEED_ENTRIES = 10_000

Item = RawArticle | InputError


def is_feed_file(path: Path) -> bool:
    """A feed by suffix, or an .xml file whose first bytes open an RSS, Atom or RDF feed (an
    .xml file that cannot be read counts as one: reading it then reports why it cannot)."""
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES:
        return True
    if suffix != ".xml":
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(2048).lower()
    except OSError:
        return True
    return any(marker in head for marker in FEED_MARKERS)


def too_many_entries(data: bytes) -> str | None:
    """Why a feed is refused for its size in entries, or None. Counted on the raw bytes, before
    parsing: feedparser takes some 4 s per 10,000 entries and a fortieth of a gigabyte, so a
    hostile feed of a million tiny items would hold a run for minutes (issue 19, item 7)."""
    lowered = data.lower()
    count = lowered.count(b"<item") + lowered.count(b"<entry")
    if count <= MAX_FEED_ENTRIES:
        return None
    return (
        f"a feed of about {count:,} entries: more than the {MAX_FEED_ENTRIES:,} read from one "
        "feed (split it)"
    )


def read_feed(path: Path) -> Iterator[Item]:
    """One RawArticle per entry with text; an InputError for an unreadable, oversized (the
    input cap, :data:`~eventwire.ingest.decode.MAX_INPUT_BYTES`, or :data:`MAX_FEED_ENTRIES`)
    or empty feed."""
    import feedparser

    from eventwire.ingest.decode import read_capped

    try:
        data = read_capped(path, str(path))
    except InputError as exc:
        yield exc
        return
    problem = too_many_entries(data)
    if problem is not None:
        yield InputError(str(path), problem)
        return
    parsed = feedparser.parse(data)
    entries = list(parsed.entries)
    if not entries:
        problem = (
            f"not a readable feed ({parsed.get('bozo_exception')})"
            if parsed.bozo
            else "feed has no entries"
        )
        yield InputError(str(path), problem)
        return
    source = parsed.feed.get("title")
    for number, entry in enumerate(entries, start=1):
        yield entry_article(f"{path}#{number}", entry, source=source)


def entry_article(origin: str, entry: Any, *, source: str | None) -> Item:
    """The article in one feed entry (full content preferred over the summary)."""
    contents = [c.get("value", "") for c in entry.get("content", [])]
    body = next((c for c in contents if c.strip()), None) or entry.get("summary", "")
    if not body.strip():
        return InputError(origin, "feed entry has no content or summary")
    return RawArticle(
        origin=origin,
        html=body if "<" in body else None,
        text=None if "<" in body else body,
        title=entry.get("title"),
        url=entry.get("link"),
        source=source,
        published=_entry_date(entry),
    )


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def iter_corpus_inputs(paths: Iterable[str | Path]) -> Iterator[Item]:
    """Files, folders (recursively), feeds, JSONL and ``-``: every article or input error found.
    An input that cannot be looked at or read is an InputError, never the end of the run."""
    from eventwire.ingest.readers import iter_inputs, path_kind

    for name in paths:
        path = Path(name)
        kind = path_kind(path) if str(name) != "-" else "stdin"
        if isinstance(kind, InputError):
            yield kind
        elif kind == "dir":
            yield from _walk(path)
        elif kind == "file" and is_feed_file(path):
            yield from read_feed(path)
        else:
            yield from iter_inputs([str(name)], recursive=True)


def _walk(folder: Path) -> Iterator[Item]:
    """Every article file and feed under ``folder``, in sorted order (hidden files skipped),
    after an InputError for each part of it that cannot be listed or looked at."""
    from eventwire.ingest.readers import iter_inputs, walk_files

    files, errors = walk_files(folder)
    yield from errors
    feeds = [p for p in files if is_feed_file(p)]
    others = [p for p in files if p not in set(feeds) and _is_article_file(p)]
    if not feeds and not others and not errors:
        yield InputError(
            str(folder), "folder holds no article files (.txt, .html, .jsonl) or feeds"
        )
    for file in sorted(feeds + others):
        yield from read_feed(file) if file in feeds else iter_inputs([str(file)])


def _is_article_file(path: Path) -> bool:
    from eventwire.ingest.readers import KNOWN_SUFFIXES

    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in KNOWN_SUFFIXES
