"""Readers: turn CLI paths (.txt, .html/.htm, .jsonl, '-') into RawArticles or per-input errors."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from eventwire.errors import InputError
from eventwire.ingest import RawArticle


def read_txt(path: Path) -> RawArticle:
    """A .txt file: a first line followed by a blank line is the title."""
    text = path.read_text(encoding="utf-8")
    first, sep, rest = text.partition("\n\n")
    if sep and "\n" not in first.strip() and len(first) < 300:
        return RawArticle(origin=str(path), text=rest, title=first.strip())
    return RawArticle(origin=str(path), text=text)


def iter_inputs(paths: Iterable[str]) -> Iterator[RawArticle | InputError]:
    """One RawArticle per article found (several per .jsonl), or an InputError per bad input."""
    for name in paths:
        if name == "-":
            yield RawArticle(origin="<stdin>", text=sys.stdin.read())
            continue
        path = Path(name)
        if not path.is_file():
            yield InputError(name, "no such file")
            continue
        yield read_txt(path)
