"""Reading numbers for event quantities."""

from __future__ import annotations

import pytest

from eventwire.extract.quantities import parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("two", 2),
        ("Two", 2),
        ("1,400", 1400),
        ("40", 40),
        ("3.5", 3.5),
        ("twenty-one", 21),
        ("two hundred", 200),
        ("1,000,000", 1_000_000),
        ("a dozen", 12),
    ],
)
def test_numbers_in_digits_and_words(text: str, value: float) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["dozens", "hundreds", "several", "many", "", "scores"])
def test_vague_amounts_are_skipped(text: str) -> None:
    assert parse_number(text) is None
