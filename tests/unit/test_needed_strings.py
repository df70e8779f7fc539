"""Strings a pattern's matches need, tested before searching (eventwire.needed_strings)."""

from __future__ import annotations

import re
import sys

import pytest
from test_extract_first_chars import TEXTS as FIRST_CHAR_TEXTS

from eventwire import needed_strings as ns
from eventwire.extract.time import find_matches, rules
from eventwire.needed_strings import ASCII_CASE_PARTNERS, fold, may_match, needed_strings

TEXTS = [
    *FIRST_CHAR_TEXTS,  # the time rules' sample texts, shared with the first-character gate
    "They met at 5\n\tPM, two days\u00a0from   now; for decades; the\tpast three\nmonths",
    "Sales rose in the fourth   quarter; earlier in the\nyear, the coming weeks; 7\u00a0a.m.",
    "\u0661\u0662 \u0967 o'clock; THE NEXT TWO YEARS AGO; every\u2003Friday; since 4 Jan",
]


def test_literals_alternatives_and_optional_parts() -> None:
    assert needed_strings("ago") == (frozenset({"ago"}),)
    assert needed_strings(r"a(?:b|c)d") == (frozenset({"abd", "acd"}),)
    assert needed_strings(r"x*y") == (frozenset({"y"}),)
    assert needed_strings(r"(?:foo|bar\d)") == (frozenset({"foo", "bar0"}),)
    assert needed_strings(r"(?:the\s+)?\d{1,2}(?:st|nd)?\s+of", re.I) == (
        frozenset({"0 of", "0st of", "0nd of"}),
    )


def test_white_space_runs_are_one_space_and_digits_zero() -> None:
    assert needed_strings(r"from\s+\s*now|hence") == (frozenset({"from now", "hence"}),)
    assert needed_strings("a  b") == (frozenset({"a b"}),)
    assert fold("From \t\n NOW 1999") == "from now 0000"


def test_nothing_needed_when_unknown() -> None:
    assert needed_strings(r"\w+") == ()
    assert needed_strings(r"(?:abc)?") == ()
    assert needed_strings(r"abc|\w") == ()
    assert needed_strings("é") == ()  # outside ASCII: IGNORECASE may match other characters


def test_clause_keeps_only_its_shortest_strings() -> None:
    assert needed_strings(r"(?:every\s+)?(?:monday|friday)") == (frozenset({"monday", "friday"}),)


def test_fold_of_ascii_text_is_the_general_fold() -> None:
    text = "A\tb\x1c\x1fC  12\n\n\nx\x0b\x0cy 0"
    assert fold(text) == ns._DIGIT.sub("0", ns._SPACE_RUN.sub(" ", text.lower()))


def test_may_match() -> None:
    clauses = (frozenset({"ago", "later"}), frozenset({"day"}))
    assert may_match(clauses, fold("two days ago"))
    assert not may_match(clauses, fold("two days before"))
    assert may_match(clauses, None)  # fold() gave up: search
    assert may_match((), fold("anything"))


def test_case_partners_are_every_non_ascii_character_ignorecase_matches_to_ascii() -> None:
    others = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1))
    found = set(re.findall(r"[a-z]", others, re.IGNORECASE))
    for letter in "aiks":  # literals may be compiled differently from classes
        found |= set(re.findall(letter, others, re.IGNORECASE))
    assert found == ASCII_CASE_PARTNERS
    assert fold("ſunday") is None


@pytest.mark.parametrize("index", range(len(rules())))
def test_time_rules_are_skipped_only_where_they_find_nothing(index: int) -> None:
    rule = rules()[index]
    for text in TEXTS:
        if not may_match(rule.needs, fold(text)):
            assert not [m for m in rule.pattern.finditer(text) if m.end() > m.start()], text


def test_find_matches_is_unchanged_by_the_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    got = [[(m.start, m.end, m.rule.name) for m in find_matches(t)] for t in TEXTS]
    monkeypatch.setattr("eventwire.extract.time.may_match", lambda clauses, folded: True)
    want = [[(m.start, m.end, m.rule.name) for m in find_matches(t)] for t in TEXTS]
    assert got == want
    assert any(got)
