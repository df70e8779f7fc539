"""Inline cuts in one search per pattern, each distinct line cut once per text (ingest.clean)."""

from __future__ import annotations

import re

from eventwire.ingest.clean import Patterns, _InlineCuts, clean_text, cut_inline

PATTERNS = Patterns(
    version=1,
    lines=(),
    inline=(
        ("photo credit", re.compile(r"\s*\((?:REUTERS|AFP)\s*/\s*[^()]{1,40}\)", re.IGNORECASE)),
        ("tag", re.compile(r"\[\w+\]")),
    ),
)


def _by_sub(line: str) -> str:
    for _, pattern in PATTERNS.inline:
        line = pattern.sub("", line)
    return re.sub(r"[ \t]+", " ", line).strip()


def test_cut_inline_matches_substitution_with_several_cuts() -> None:
    line = "[live] Troops (Reuters/A. Name) crossed [x] the river (AFP/B) at dawn [end]"
    text, cuts = cut_inline(line, PATTERNS)
    assert text == _by_sub(line) == "Troops crossed the river at dawn"
    assert [c.text for c in cuts] == ["(Reuters/A. Name)", "(AFP/B)", "[live]", "[x]", "[end]"]


def test_inline_cuts_are_shared_per_line_but_not_their_lists() -> None:
    cut = _InlineCuts(PATTERNS)
    first, second = cut("a (AFP/B) b"), cut("a (AFP/B) b")
    assert first == second == ("a b", first[1])
    assert first[1] is not second[1]
    assert len(cut.done) == 1


def test_clean_text_cuts_credits_of_repeated_lines() -> None:
    caption = "The delegation arrived at the border crossing early on the first day (AFP/B)"
    cleaned, removed = clean_text(f"{caption}\n{caption}\n\nTalks began.", patterns=PATTERNS)
    assert (
        cleaned
        == "The delegation arrived at the border crossing early on the first day\n\nTalks began."
    )
    assert [r.reason for r in removed] == ["photo credit", "duplicate caption"]


def test_credits_are_cut_as_without_the_needs_test(monkeypatch) -> None:
    """Lines lacking what a credit pattern needs are not searched; nothing else changes."""
    lines = [
        "Troops crossed the river (Reuters/A. Name) at dawn",
        "Smoke rises over the port (Photo: Jane Doe/AFP) on Monday (Image credit: X)",
        "Flood water in the street (REUTERS/ ſmith) and (ap photo/ K. Lee)",
        "A man walks past (Picture via Getty Images) a shop",
        "No credit here at all, only (parentheses) and photo words",
    ]
    got = [cut_inline(line) for line in lines]
    monkeypatch.setattr("eventwire.ingest.clean.may_match", lambda clauses, folded: True)
    assert got == [cut_inline(line) for line in lines]
    assert sum(bool(cuts) for _, cuts in got) >= 3
