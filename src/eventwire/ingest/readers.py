"""Readers: turn CLI paths into RawArticles, or one clear InputError per bad input.

Accepted: ``.txt`` (a first line followed by a blank line is the title), ``.html``/``.htm``,
Reuters-21578 collections (``.sgm``: one article per story, :mod:`eventwire.ingest.reuters`),
``.jsonl`` (one article per line: ``text`` or ``html``; optional ``id``, ``title``, ``url``,
``source``, ``published``), any of these gzipped (``.gz``), ``-`` for standard input (sniffed as
JSONL, HTML or text), and directories when ``recursive`` is set. A ``.jsonl`` input yields exactly
one item per non-blank line, so a batch's output lines up with its input. Other XML (not a
feed, which :mod:`eventwire.store.feeds` reads, nor XHTML) is refused rather than read as one
huge article. Sizes are capped by
:data:`eventwire.ingest.decode.MAX_INPUT_BYTES`.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.ingest.decode import (
    GZIP_ERRORS,
    MAX_INPUT_BYTES,
    decode_bytes,
    iter_lines,
    open_input,
    read_capped,
    read_error,
    size_text,
)
from eventwire.ingest.reuters import SGML_SUFFIXES, is_reuters, read_reuters

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | SGML_SUFFIXES
#: An XML document read as an article only when it is XHTML (feeds are read elsewhere).
NOT_AN_ARTICLE_XML = (
    "an XML document that is not a feed (RSS, Atom, RDF), XHTML or a Reuters-21578 collection: "
    "not read as one article"
)
FEED_NOT_HERE = (
    "an RSS/Atom feed: `eventwire ingest` and `watch` read its entries from a file (.rss, .atom, "
    ".xml) or URL; here it would be one article"
)
JSONL_FIELDS = ("id", "title", "url", "source", "published")
MAX_TITLE_CHARS = 300

Item = RawArticle | InputError


def iter_inputs(paths: Iterable[str | Path], *, recursive: bool = False) -> Iterator[Item]:
    """One RawArticle per article found (several per .jsonl), or an InputError per bad input."""
    for name in paths:
        name = str(name)
        if name == "-":
            yield from read_stdin()
            continue
        path = Path(name)
        kind = path_kind(path)
        if isinstance(kind, InputError):
            yield kind
        elif kind == "dir":
            yield from _read_dir(path, recursive=recursive)
        elif kind != "file":
            yield InputError(name, "no such file")
        else:
            yield from read_path(path)


def path_kind(path: Path) -> str | InputError:
    """'dir', 'file', 'other' (missing, a socket...), or an InputError when the path cannot be
    looked at (inside a folder without permission): never an exception that ends a run."""
    try:
        mode = path.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "other"
    except OSError as exc:
        return read_error(path, str(path), exc)
    return "dir" if stat.S_ISDIR(mode) else "file" if stat.S_ISREG(mode) else "other"


def walk_files(folder: Path) -> tuple[list[Path], list[InputError]]:
    """Every file under ``folder`` (hidden files skipped), sorted, and one InputError for each
    sub-folder that cannot be listed or file that cannot be looked at (``rglob`` skipped an
    unreadable sub-folder without a word)."""
    files: list[Path] = []
    errors: list[InputError] = []

    def unlistable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        error = read_error(where, str(where), exc)
        errors.append(InputError(error.source, f"{error.problem} (a folder: nothing in it read)"))

    for root, _dirs, names in os.walk(folder, onerror=unlistable):
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root) / name
            kind = path_kind(path)
            if isinstance(kind, InputError):
                errors.append(kind)
            elif kind == "file":
                files.append(path)
    return sorted(files), errors


def _read_dir(path: Path, *, recursive: bool) -> Iterator[Item]:
    if not recursive:
        yield InputError(str(path), "is a directory (read it recursively to take the files in it)")
        return
    found, errors = walk_files(path)
    yield from errors
    files = [p for p in found if _is_article_file(p)]
    if not files and not errors:
        yield InputError(str(path), "directory holds no .txt, .html, .htm or .jsonl files")
    for file in files:
        yield from read_path(file)


def _is_article_file(path: Path) -> bool:
    hidden = any(part.startswith(".") for part in path.parts[-1:])
    return not hidden and _kind_suffix(path) in KNOWN_SUFFIXES


def _kind_suffix(path: Path) -> str:
    """The suffix that says what a file holds, looking through a trailing ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def read_path(path: Path) -> Iterator[Item]:
    """Everything one file holds: a JSONL stream, or one article (or one error)."""
    origin = str(path)
    if _kind_suffix(path) in JSONL_SUFFIXES:
        yield from read_jsonl(path)
        return
    try:
        text = decode_bytes(read_capped(path, origin), origin)
    except InputError as exc:
        yield exc
        return
    kind = _kind_suffix(path)
    if kind in SGML_SUFFIXES or (kind not in TEXT_SUFFIXES | HTML_SUFFIXES and is_reuters(text)):
        yield from read_reuters(origin, text)
        return
    yield _article(origin, text, kind=kind)


def _article(origin: str, text: str, *, kind: str) -> Item:
    """A RawArticle from decoded file content; ``kind`` is the suffix, or '' to sniff."""
    if not text.strip():
        return InputError(origin, "empty input: no text")
    if kind not in TEXT_SUFFIXES | HTML_SUFFIXES and _foreign_xml(text, kind):
        return InputError(origin, FEED_NOT_HERE if _is_feed(text) else NOT_AN_ARTICLE_XML)
    if kind in HTML_SUFFIXES or (kind not in TEXT_SUFFIXES and looks_like_html(text)):
        return RawArticle(origin=origin, html=text)
    return text_article(origin, text)


def _is_feed(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return any(marker in head for marker in ("<rss", "<feed", "<rdf:rdf"))


def _foreign_xml(text: str, kind: str) -> bool:
    """An XML document (an ``.xml`` file, or one opening with ``<?xml``) that is not XHTML."""
    head = text.lstrip()[:2000].lower()
    return (kind == ".xml" or head.startswith("<?xml")) and "<html" not in head


def text_article(origin: str, text: str) -> RawArticle:
    """Plain text: a first line followed by a blank line is the title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\n")
    first, sep, rest = text.partition("\n\n")
    title = first.strip()
    if sep and rest.strip() and "\n" not in title and 0 < len(title) <= MAX_TITLE_CHARS:
        return RawArticle(origin=origin, text=rest, title=title)
    return RawArticle(origin=origin, text=text)


def looks_like_html(text: str) -> bool:
    """True when a string is an HTML page rather than plain text (a cheap sniff of the head)."""
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or "<body" in head or "<p>" in head


def read_jsonl(path: Path) -> Iterator[Item]:
    """One item per non-blank line of a JSONL file; a bad line is an error for that line only."""
    origin = str(path)
    try:
        with open_input(path) as fh:
            yield from _jsonl_stream(fh, origin)
    except GZIP_ERRORS as exc:
        yield read_error(path, origin, exc)


def _jsonl_stream(fh: BinaryIO, origin: str) -> Iterator[Item]:
    seen = 0
    for number, line in enumerate(iter_lines(fh), start=1):
        if line is not None and not line.strip():
            continue
        seen += 1
        yield jsonl_item(f"{origin}:{number}", line)
    if not seen:
        yield InputError(origin, "empty input: no JSON lines")


def jsonl_item(origin: str, line: bytes | None) -> Item:
    """The article on one JSONL line, or an InputError naming 'path:LINE' and the problem."""
    if line is None:
        return InputError(origin, f"line too long (more than {size_text(MAX_INPUT_BYTES)})")
    try:
        data = json.loads(decode_bytes(line, origin))
    except InputError as exc:
        return exc
    except json.JSONDecodeError as exc:
        return InputError(origin, f"malformed JSON: {exc.msg} at column {exc.colno}")
    if not isinstance(data, dict):
        return InputError(origin, f"expected a JSON object, got {type(data).__name__}")
    return article_from_mapping(origin, data)


def article_from_mapping(origin: str, data: dict[str, Any]) -> Item:
    """A RawArticle from a JSON object with ``text`` or ``html`` and optional metadata."""
    body = {key: data.get(key) for key in ("text", "html") if data.get(key) is not None}
    bad = [key for key, value in body.items() if not isinstance(value, str)]
    if bad:
        return InputError(origin, f"'{bad[0]}' must be a string")
    if not any(value.strip() for value in body.values()):
        return InputError(origin, "no article: needs a non-empty 'text' or 'html'")
    fields = {key: data.get(key) for key in JSONL_FIELDS if data.get(key) is not None}
    nested = [key for key, value in fields.items() if isinstance(value, dict | list)]
    if nested:
        return InputError(
            origin, f"'{nested[0]}' must be a string, not a JSON {type(fields[nested[0]]).__name__}"
        )
    meta = {key: str(value) for key, value in fields.items()}
    if body.get("text", "").strip():
        return RawArticle(origin=origin, text=body["text"], **meta)
    return RawArticle(origin=origin, html=body["html"], **meta)


def read_stdin() -> Iterator[Item]:
    """Standard input, sniffed: JSON lines, an HTML page, or plain text."""
    origin = "<stdin>"
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        yield InputError(origin, f"too large: more than {size_text(MAX_INPUT_BYTES)}")
        return
    if _looks_like_jsonl(data):
        lines = data.splitlines()
        yield from (
            jsonl_item(f"{origin}:{n}", line) for n, line in enumerate(lines, 1) if line.strip()
        )
        return
    try:
        text = decode_bytes(data, origin)
    except InputError as exc:
        yield exc
        return
    if is_reuters(text):
        yield from read_reuters(origin, text)
        return
    yield _article(origin, text, kind="")


def _looks_like_jsonl(data: bytes) -> bool:
    """Every non-blank line starts with '{': JSON lines rather than a text that quotes JSON."""
    lines = [line.strip() for line in data.splitlines() if line.strip()]
    return bool(lines) and all(line.startswith(b"{") for line in lines)
