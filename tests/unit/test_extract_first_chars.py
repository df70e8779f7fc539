"""The first-character gate in front of regular expressions (eventwire.extract.first_chars)."""

from __future__ import annotations

import re

import pytest

from eventwire.extract.first_chars import first_char_class, gated
from eventwire.extract.time import _rule_sources, rule_source, rules

TEXTS = [
    "On Monday, March 4, 2024 the talks resumed; three weeks ago they failed.",
    "Since late August 2019 - about two years ago - prices rose 20% every month.",
    "the first quarter of 2023, Q3 2022, 10/11/2021 and 2023-10-25 at 5 p.m.",
    "NOON in the 1990s; this summer, last week, yesterday evening, twice a day.",
    "K\u212a ſ éclair 12-year-old anti-war co-op -Monday x2020 fiscal 2021 ",
]


def test_first_char_class_collects_optional_prefixes_and_alternatives() -> None:
    assert first_char_class(r"(?:the\s+)?\d+") == r"[t\d]"
    assert first_char_class(r"(?<![\w-])(?:ago|\s*later)") == r"[a\s l]".replace(" ", "")


def test_first_char_class_is_none_when_unbounded() -> None:
    assert first_char_class(r"a*") is None  # may match the empty string
    assert first_char_class(r"[^x]y") is None  # negated class
    assert first_char_class(r"\w+ times") is None  # nearly every position
    assert first_char_class(r".x") is None


def test_gated_pattern_keeps_groups_and_case_rules() -> None:
    pattern = gated(r"(?P<w>(?i:mon)day|Tue)", 0)
    assert [m.group("w") for m in pattern.finditer("MONday Tue tue monday")] == [
        "MONday",
        "Tue",
        "monday",
    ]


@pytest.mark.parametrize("index", range(len(rules())))
def test_time_rules_match_as_without_the_gate(index: int) -> None:
    """Each gated time rule finds exactly what its plain pattern finds."""
    rule = rules()[index]
    plain = re.compile(rule_source(_rule_sources()[index][1]), re.IGNORECASE)
    assert rule.pattern.pattern != plain.pattern or rule.name == "set"  # "set" starts with \w
    for text in TEXTS:
        got = [(m.span(), m.groupdict()) for m in rule.pattern.finditer(text)]
        want = [(m.span(), m.groupdict()) for m in plain.finditer(text)]
        assert got == want
