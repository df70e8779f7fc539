"""What ``eventwire watch`` watches: a SOURCES file of feed URLs and folders, and feed entries.

One source per line; blank lines and ``#`` comments are ignored. ``http(s)://`` lines are
RSS/Atom feeds; anything else is a folder (relative paths are taken from the SOURCES file's
folder) scanned for article files and feed files.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventwire.errors import InputError

_COMMENT = re.compile(r"(^|\s)#.*$")  # a "#" inside a URL (a fragment) is not a comment


@dataclass(frozen=True, slots=True)
class Source:
    kind: str  # "feed" | "folder"
    location: str  # the URL, or the folder's absolute path


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One feed entry as the watcher needs it. ``key`` identifies it within its feed."""

    key: str
    link: str | None
    title: str | None
    published: str | None
    raw: Any  # the feedparser entry, for the store's entry_article fallback


def read_sources(path: Path) -> list[Source]:
    """The sources listed in ``path``, duplicates dropped, in file order."""
    if not path.is_file():
        raise InputError(str(path), "sources file not found")
    found: dict[str, Source] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        item = _COMMENT.sub("", line).strip()
        if not item:
            continue
        source = _source(item, path.parent)
        found.setdefault(source.location, source)
    if not found:
        raise InputError(str(path), "lists no feed URL or folder")
    return list(found.values())


def _source(item: str, base: Path) -> Source:
    if item.lower().startswith(("http://", "https://")):
        return Source("feed", item)
    folder = Path(item).expanduser()
    return Source("folder", str(folder if folder.is_absolute() else (base / folder).resolve()))


def parse_feed(content: bytes) -> tuple[str | None, list[FeedEntry]]:
    """(feed title, entries) of an RSS/Atom document; raises InputError when it is no feed."""
    import feedparser

    parsed = feedparser.parse(content)
    entries = [_entry(e) for e in parsed.entries]
    if not entries and (parsed.bozo or not parsed.get("version")):
        reason = f" ({parsed.get('bozo_exception')})" if parsed.bozo else ""
        raise InputError("feed", f"not an RSS or Atom feed{reason}")
    return parsed.feed.get("title"), entries


def _entry(entry: Any) -> FeedEntry:
    link = entry.get("link") or None
    return FeedEntry(
        key=str(entry.get("id") or link or _content_key(entry)),
        link=link,
        title=entry.get("title"),
        published=_entry_date(entry),
        raw=entry,
    )


def _content_key(entry: Any) -> str:
    """A key for an entry with neither id nor link: a hash of its title and summary."""
    text = f"{entry.get('title', '')}\n{entry.get('summary', '')}"
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _entry_date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def file_key(path: Path) -> str:
    """A file's identity for the watcher: path, size and modification time (a change is new)."""
    stat = path.stat()
    return f"{path}|{stat.st_size}|{stat.st_mtime_ns}"
