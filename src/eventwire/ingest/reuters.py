"""Reuters-21578 SGML collections: each ``<REUTERS>`` story one article (issue 16, finding 9).

A ``.sgm`` file of the classic news corpus holds a thousand stories; read as one text it made a
1.3 MB "article" that timed out. Each story becomes a RawArticle with its ``<TITLE>``, its
``<DATE>`` as the publication date, and its ``<DATELINE>`` and ``<BODY>`` as the text (the
wire's closing "Reuter" sign-off dropped); its origin is ``path#NEWID``. A story without a body
(a headline only, ``TYPE="BRIEF"``) is an InputError naming it. The SGML is not well-formed
XML (lewis.dtd, character references to control characters), so it is read with regular
expressions, as the corpus's own documentation advises.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import datetime

from eventwire.errors import InputError
from eventwire.ingest import RawArticle

SGML_SUFFIXES = {".sgm", ".sgml"}
_STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL | re.IGNORECASE)
_NEWID = re.compile(r'\bNEWID="(\d+)"', re.IGNORECASE)
_SIGN_OFF = re.compile(r"\s*\bReuter\s*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_reuters(text: str) -> bool:
    """The head of a Reuters-21578 collection: the lewis DTD or a ``<REUTERS`` story."""
    head = text[:4096].lower()
    return "lewis.dtd" in head or "<reuters " in head


def read_reuters(origin: str, text: str) -> Iterator[RawArticle | InputError]:
    """One item per ``<REUTERS>`` story of a collection's decoded text (see module)."""
    found = False
    for number, match in enumerate(_STORY.finditer(text), start=1):
        found = True
        newid = _NEWID.search(match.group(1))
        yield _story(f"{origin}#{newid.group(1) if newid else number}", match.group(2))
    if not found:
        yield InputError(origin, "a Reuters-21578 SGML file with no <REUTERS> story")


def _story(origin: str, sgml: str) -> RawArticle | InputError:
    title = _field(sgml, "TITLE")
    body = _field(sgml, "BODY")
    if not body:
        return InputError(origin, "Reuters story without a body (a headline only)")
    dateline = _field(sgml, "DATELINE")
    text = _SIGN_OFF.sub("", body)
    if dateline:
        text = f"{dateline} {text}"
    return RawArticle(origin=origin, text=text, title=title or None,
                      published=_date(_field(sgml, "DATE")))  # fmt: skip


def _field(sgml: str, tag: str) -> str:
    """The unescaped text of the first ``<tag>`` element, control characters removed."""
    match = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", sgml, re.DOTALL | re.IGNORECASE)
    if match is None:
        return ""
    return _CONTROL.sub("", html.unescape(match.group(1))).strip()


def _date(value: str) -> str | None:
    """``26-FEB-1987 15:01:01.79`` (or `` 3-MAR-1987 ...``) as ``1987-02-26``; None when it
    does not read."""
    try:
        return datetime.strptime(value.split()[0], "%d-%b-%Y").date().isoformat()
    except (ValueError, IndexError):
        return None
