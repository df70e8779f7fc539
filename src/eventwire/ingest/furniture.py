"""Page furniture found in an HTML page's structure, removed before the main text is extracted.

trafilatura finds the main text well, but what it leaves of the furniture (related-story
teasers, link lists, share and newsletter boxes, bylines, photo credits) and
what it drops silently both matter: the first becomes events, the second should be on record.
The page's markup says more about furniture than its words do, so this reads the markup:

* elements that are furniture by their tag or landmark role: ``<nav>``, ``<aside>``,
  ``<footer>``, ``role="navigation|complementary|contentinfo"``;
* elements whose class or id names what they are: related and recommended stories, newsletter
  and subscription boxes, share bars, bylines, photo credits (:data:`_NAMED`);
* link lists: a list of three or more items whose text is nearly all link text;
* teaser links: a paragraph or heading that is one link and nothing else (how related-story
  headlines, often in capitals, sit between the paragraphs of a report).

No element is removed that holds a large part of the page's paragraph text (a class like
``article-share-wrapper`` on the whole report, or broken markup that nests the report in an
``<aside>``); ``<article>``, ``<main>`` and ``<body>`` are never removed, and ``<head>`` is not
read. Every removal is returned with its reason, its text collapsed to
one line and cut at :data:`MAX_RECORDED_CHARS`.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from eventwire.record import Removed

MAX_RECORDED_CHARS = 300
#: An element holding more than this share of the page's paragraph words is the report.
MAX_CONTENT_SHARE = 0.3
LINK_LIST_MIN_ITEMS = 3
LINK_LIST_LINK_SHARE = 0.8
TEASER_MAX_WORDS = 25

_TAGS = {"nav": "navigation", "aside": "aside", "footer": "footer"}
_ROLES = {"navigation": "navigation", "complementary": "aside", "contentinfo": "footer"}
#: Class or id words that name furniture, with the reason recorded.
_NAMED = (
    (
        re.compile(
            r"related|recommend|more-?stories|more-?from|read-?more|read-?next|also-?(?:like|read)"
            r"|most-?(?:read|popular|viewed)|trending|outbrain|taboola|you-?may|up-?next",
            re.I,
        ),
        "related links",
    ),
    (re.compile(r"newsletter|subscri|sign-?up|registration-?wall", re.I), "newsletter prompt"),
    (
        re.compile(
            r"(?:^|[-_ ])share|sharing|social-?(?:share|links|icons|buttons|bar|follow)", re.I
        ),
        "share prompt",
    ),
    (re.compile(r"byline|author", re.I), "byline"),
    (re.compile(r"credit|copyright|photographer", re.I), "photo credit"),
    (re.compile(r"breadcrumb", re.I), "section label"),
)
_NEVER = frozenset(["html", "body", "article", "main"])
_PARAGRAPHS = ("p", "h2", "h3", "h4", "h5", "h6")
_LISTS = ("ul", "ol")


def remove_furniture(root: HtmlElement) -> list[Removed]:
    """Remove the furniture from ``root`` in place; what was removed, in page order."""
    body_words = max(1, sum(_words(p) for p in root.iter("p")))
    found: list[tuple[HtmlElement, str]] = []
    stack = [root]
    while stack:  # depth first, in page order, not entering what is removed
        element = stack.pop()
        if not isinstance(element.tag, str) or element.tag == "head":
            continue
        reason = None if element.tag in _NEVER else _reason(element)
        if reason and _words(element, "p") <= MAX_CONTENT_SHARE * body_words:
            found.append((element, reason))
        else:  # not furniture, or the report itself: look inside
            stack.extend(reversed(element))
    removed = []
    for element, reason in found:
        text = " ".join(element.text_content().split())
        if text:
            removed.append(Removed(text=_short(text), reason=reason))
        _drop(element)
    return removed


def _reason(element: HtmlElement) -> str | None:
    tag = element.tag
    if tag in _TAGS:
        return _TAGS[tag]
    role = (element.get("role") or "").strip().lower()
    if role in _ROLES:
        return _ROLES[role]
    names = f"{element.get('class') or ''} {element.get('id') or ''}".strip()
    if names:
        for pattern, why in _NAMED:
            if pattern.search(names):
                return why
    if tag in _LISTS and _is_link_list(element):
        return "link list"
    if tag in _PARAGRAPHS and _is_teaser_link(element):
        return "teaser link"
    return None


def _is_link_list(element: HtmlElement) -> bool:
    items = [li for li in element if isinstance(li.tag, str) and li.tag == "li"]
    if len(items) < LINK_LIST_MIN_ITEMS:
        return False
    text = len("".join(element.text_content().split()))
    linked = sum(len("".join(a.text_content().split())) for a in element.iter("a"))
    return text > 0 and linked >= LINK_LIST_LINK_SHARE * text


def _is_teaser_link(element: HtmlElement) -> bool:
    """One link and nothing else, a headline's length."""
    links = list(element.iter("a"))
    if len(links) != 1:
        return False
    text = " ".join(element.text_content().split())
    return (
        bool(text)
        and " ".join(links[0].text_content().split()) == text
        and (len(text.split()) <= TEASER_MAX_WORDS)
    )


def _words(element: HtmlElement, tag: str | None = None) -> int:
    if tag is None:
        return len(element.text_content().split())
    return sum(len(p.text_content().split()) for p in element.iter(tag))


def _drop(element: HtmlElement) -> None:
    """Remove the element but keep the text that follows it in its parent (its tail)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail
    previous = element.getprevious()
    if tail and tail.strip():
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(element)


def _short(text: str) -> str:
    return text if len(text) <= MAX_RECORDED_CHARS else text[: MAX_RECORDED_CHARS - 1] + "…"
