"""Map offsets in the text eventwire read onto the gold's reference text.

For text corpora the two texts are the same after cleaning; for web pages eventwire's text is
what its HTML extraction kept, and the reference is the curated body. A word-level alignment
(difflib over lower-cased ``\\w+`` words, so quote marks, dashes and spacing do not matter) maps
every word eventwire kept to the reference word it is, or to nothing: a span whose words are
mostly unmatched lies outside the article (boilerplate kept by the cleaner) and maps to None.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_WORD = re.compile(r"\w+")

Span = tuple[int, int]


def _words(text: str) -> tuple[list[str], list[Span]]:
    found = list(_WORD.finditer(text))
    return [m.group().lower() for m in found], [(m.start(), m.end()) for m in found]


class Alignment:
    """Word alignment of a predicted text onto a reference text."""

    def __init__(self, predicted: str, reference: str) -> None:
        pred_words, self._pred_spans = _words(predicted)
        ref_words, self._ref_spans = _words(reference)
        self._map: dict[int, int] = {}
        if predicted == reference:
            self._map = {i: i for i in range(len(pred_words))}
        else:
            matcher = SequenceMatcher(None, pred_words, ref_words, autojunk=False)
            for block in matcher.get_matching_blocks():
                for k in range(block.size):
                    self._map[block.a + k] = block.b + k
        self._starts = [s for s, _ in self._pred_spans]

    def _word_range(self, span: Span) -> range:
        from bisect import bisect_left, bisect_right

        first = bisect_right(self._starts, span[0]) - 1
        first = max(first, 0)
        if first < len(self._pred_spans) and self._pred_spans[first][1] <= span[0]:
            first += 1
        last = bisect_left(self._starts, span[1])
        return range(first, last)

    def map_span(self, span: Span, *, min_share: float = 0.5) -> Span | None:
        """The reference span of ``span``, or None when under ``min_share`` of its words align."""
        words = self._word_range(span)
        if not words:
            return None
        mapped = [self._map[i] for i in words if i in self._map]
        if not mapped or len(mapped) < min_share * len(words):
            return None
        return self._ref_spans[min(mapped)][0], self._ref_spans[max(mapped)][1]


def overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]
