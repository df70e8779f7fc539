"""scan_paragraph visits only the quote marks; it finds what a walk over every character finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eventwire.extract.quotes import (
    _CLOSERS,
    _OPENING_MARKS,
    QuoteSpan,
    _closes,
    _make_span,
    _opens,
    find_quotations,
    paragraphs,
    scan_paragraph,
)


def every_character(text: str, bounds: tuple[int, int], paragraph: int) -> list[QuoteSpan]:
    """The scan as it was written before it jumped between marks: every character visited."""
    para_start, para_end = bounds
    spans: list[QuoteSpan | None] = []
    open_at, mark = -1, ""
    for i in range(para_start, para_end):
        char = text[i]
        if open_at < 0:
            if char in _OPENING_MARKS and _opens(text, i, para_start):
                open_at, mark = i, char
        elif char in _CLOSERS["“" if mark == "”" else mark] and _closes(text, i, mark, para_end):
            spans.append(_make_span(text, open_at, i, True, mark, paragraph))
            open_at = -1
        elif char == "“" and mark in "“”":
            spans.append(_make_span(text, open_at, i, False, mark, paragraph))
            open_at = i
    if open_at >= 0:
        spans.append(_make_span(text, open_at, para_end, False, mark, paragraph))
    return [span for span in spans if span is not None]


TEXTS = [
    'He said “one two three,” then "four five six" and «seven eight nine».',
    "The army’s chief said “the operation ‘Iron Gate’ is over” on Monday.",
    "“We will stay here.\n\n“We will not leave,” she said.\n\nLater news.",
    'The centre noted that “the group is based abroad." Others “disagree ” strongly',
    "” misdirected” and ‘ Lower’ and ‘Upper’s’ end ’",
]


def test_scan_finds_what_a_walk_over_every_character_finds() -> None:
    for text in TEXTS:
        for index, bounds in enumerate(paragraphs(text)):
            assert scan_paragraph(text, bounds, index) == every_character(text, bounds, index)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('ab A,.\n“”«»"‘’ ')), max_size=60))
def test_scan_matches_the_walk_on_any_text(text: str) -> None:
    for index, bounds in enumerate(paragraphs(text)):
        assert scan_paragraph(text, bounds, index) == every_character(text, bounds, index)


def test_find_quotations_takes_the_paragraphs_the_caller_has() -> None:
    for text in TEXTS:
        assert find_quotations(text, paragraphs(text)) == find_quotations(text)
