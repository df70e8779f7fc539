"""Main text and metadata of an HTML page, with trafilatura.

Options, and why: comments are left out (readers' comments are not the report); tables are kept
(casualty and result tables carry facts); dates come from the page's metadata only (htmldate
without its extensive search of the visible text, which would be inference, not metadata), with
no upper bound from the machine's clock. Each paragraph of the extracted text is separated by a
blank line so sentence splitting does not run a heading into the paragraph after it.

Before extraction the page's furniture is removed by its markup (:mod:`.furniture`: navigation,
asides, related-story teasers, link lists, share and newsletter boxes, bylines, credits,
embedded posts); what it removed, and the visible lines the extractor left out besides
("outside main text"), are returned as ``removed`` so a page's record says what was dropped.
The publication date is read from the page as published, before any removal
(:mod:`.published` picks the one at the place of publication).

Limits: pages above :data:`MAX_HTML_CHARS` of markup (after dropping scripts, styles and inline
data) are refused with an InputError rather than parsed for minutes. lxml stops at a nesting depth
of a few hundred elements; when trafilatura finds nothing, a flat, non-recursive text collector
(:mod:`html.parser`) reads the page instead, so deeply nested markup still gives its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from eventwire.errors import InputError
from eventwire.record import Removed

MAX_HTML_CHARS = 10_000_000
MAX_COMPARED_LINES = 3000  # lines left out are searched in the text only up to this many
DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2099-12-31"}
_HEAVY = re.compile(
    r"<(script|style|svg|noscript|template)\b.*?</\1\s*>|data:[a-z]+/[a-z0-9.+-]+;base64,[A-Za-z0-9+/=\s]+",
    re.IGNORECASE | re.DOTALL,
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class HtmlContent:
    """What a page yields: main text (paragraphs separated by blank lines) and metadata."""

    text: str
    title: str | None = None
    published: str | None = None  # ISO date (or datetime with offset) from the metadata, or None
    url: str | None = None
    sitename: str | None = None
    removed: tuple[Removed, ...] = ()  # furniture removed and lines left out, in page order


def extract_html(html: str, *, origin: str = "<html>") -> HtmlContent:
    """Main text and metadata of a page; an InputError when it is too large or holds no text."""
    html = _bounded(_CONTROL.sub("", html), origin)
    content = _trafilatura(html)
    if content is None or not content.text.strip():
        text = fallback_text(html)
        if not text:
            raise InputError(origin, "no article text found in the HTML page")
        content = HtmlContent(text=text, title=content.title if content else None)
    return content


def _bounded(html: str, origin: str) -> str:
    """The page, lightened of scripts and inline data when large; an InputError if still too large."""
    if len(html) <= MAX_HTML_CHARS:
        return html
    lighter = _HEAVY.sub(" ", html)
    if len(lighter) > MAX_HTML_CHARS:
        raise InputError(
            origin,
            f"HTML page too large ({len(lighter) / 1e6:.1f} million characters of markup; "
            f"the limit is {MAX_HTML_CHARS / 1e6:.0f} million)",
        )
    return lighter


def _trafilatura(html: str) -> HtmlContent | None:
    from trafilatura import bare_extraction
    from trafilatura.metadata import extract_metadata
    from trafilatura.utils import load_html

    from eventwire.ingest.furniture import remove_furniture
    from eventwire.ingest.published import page_date

    tree, page = load_html(html), load_html(html)  # one to prune, one to read as published
    if tree is None or page is None:
        return None
    meta = extract_metadata(page, date_config=DATE_PARAMS)
    removed = remove_furniture(tree)
    visible = _visible_lines(tree)
    doc = bare_extraction(tree, include_comments=False, include_tables=True)
    if doc is None:
        return None
    text = _paragraphs(doc.text or "")
    return HtmlContent(
        text=text,
        title=_clean_meta(meta.title),
        published=page_date(page, _clean_meta(meta.date)),
        url=_clean_meta(meta.url),
        sitename=_clean_meta(meta.sitename),
        removed=(*removed, *_left_out(visible, text)),
    )


def _visible_lines(tree: object) -> list[str]:
    """The page's visible lines (what :func:`fallback_text` reads), from the parsed tree;
    iterative, so any depth is fine."""
    body = tree.find("body")  # type: ignore[attr-defined]
    parts: list[str] = []
    stack = [(body if body is not None else tree, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag if isinstance(element.tag, str) else ""
        if closing:
            parts.append("\n" if tag in _BLOCK_TAGS else "")
            parts.append(element.tail or "")
        elif not tag or tag in _SKIP_TAGS:  # a comment or hidden element: only its tail shows
            parts.append(element.tail or "")
        else:
            parts.append("\n" if tag in _BLOCK_TAGS else "")
            parts.append(element.text or "")
            stack.append((element, True))
            stack.extend((child, False) for child in reversed(element))
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return [line for line in lines if line]


def _left_out(visible: list[str], text: str) -> list[Removed]:
    """Visible lines of the page that are not in the extracted text (menus, footers, forms)."""
    paragraphs = {" ".join(p.split()) for p in text.split("\n\n")}
    kept = " ".join(text.split())
    lines = [line for line in dict.fromkeys(visible) if line and line not in paragraphs]
    # a huge page: the first lines are recorded, not every one (each is searched in the text)
    return [
        Removed(text=line[:300], reason="outside main text")
        for line in lines[:MAX_COMPARED_LINES]
        if line not in kept
    ]


def _paragraphs(text: str) -> str:
    """trafilatura puts one paragraph per line; separate them by a blank line."""
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _clean_meta(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "td",
        "th",
        "blockquote",
        "section",
        "article",
        "header",
        "footer",
        "pre",
        "dd",
        "dt",
    ]
)
_SKIP_TAGS = frozenset(
    [
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "nav",
        "head",
        "select",
        "button",
        "form",
        "iframe",
    ]
)


class _TextCollector(HTMLParser):
    """Collects visible text, breaking at block elements; iterative, so any depth is fine."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def fallback_text(html: str) -> str:
    """Visible text of a page without trafilatura's heuristics (used when they find nothing)."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n\n".join(line for line in lines if line)
