"""Cleaning: boilerplate lines, repeated captions, duplicate paragraphs, credits, whitespace."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import DataError
from eventwire.ingest.clean import (
    PATTERNS_FILE,
    boilerplate_reason,
    clean_text,
    load_patterns,
    normalise_whitespace,
)

CAPTION = (
    "The prime minister greets the visiting delegation at the airport in this handout image "
    "released on March 2, 2024."
)
PARA_A = (
    "The two delegations met for three hours and agreed to meet again before the end of the month."
)
PARA_B = (
    "Officials on both sides described the talks as frank and useful, but no statement was issued."
)


def reasons(text: str) -> list[tuple[str, str]]:
    return [(r.reason, r.text) for r in clean_text(text)[1]]


def test_patterns_file_is_versioned_and_loads() -> None:
    patterns = load_patterns()
    assert isinstance(patterns.version, int) and patterns.version >= 1
    assert {rule.reason for rule in patterns.lines} >= {
        "newsletter prompt", "share prompt", "related links", "advertisement", "cookie notice", "photo credit",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Stay updated with the latest news!", "newsletter prompt"),
        ("Subscribe to The Daily Example Newsletter", "newsletter prompt"),
        ("Sign up for our free morning briefing", "newsletter prompt"),
        ("Share this article", "share prompt"),
        ("Follow us on Twitter", "share prompt"),
        ("Facebook | Twitter | WhatsApp", "share prompt"),
        ("Read more: Ministers meet again in Geneva", "related links"),
        ("Related: Five things to know about the vote", "related links"),
        ("ADVERTISEMENT", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("We use cookies to improve your experience on our site.", "cookie notice"),
        ("(photo credit: VIA EXAMPLE AGENCY)", "photo credit"),
        ("Photo: Jane Doe/Reuters", "photo credit"),
        ("Get the day's top headlines delivered to your inbox every morning.", "newsletter prompt"),
        ("Thanks for signing up!", "newsletter prompt"),
        ("You may also like...", "related links"),
        ("Filed under: Politics |", "related links"),
        ("- Order Reprints", "share prompt"),
        ("CLICK HERE TO GET THE NEWS APP", "share prompt"),
        ("12 Comments", "comments link"),
        ("(Reporting by Jane Doe; Editing by John Roe)", "reporting credit"),
        ("Jane Doe contributed reporting from Hong Kong.", "reporting credit"),
        ("Write to Jane Doe at jane.doe@example.com", "reporting credit"),
        ("2019-11-19T08:57:40+01:00", "timestamp"),
        ("- Published 18 November 2019", "timestamp"),
    ],
)
def test_boilerplate_lines(line: str, reason: str) -> None:
    assert boilerplate_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        PARA_A,
        "Residents said they would stay informed through local radio while the army moved in and the roads were closed.",
        "The minister urged voters to read more about the candidates before the election next week, and said turnout mattered.",
        "Advertisement revenue fell by a third last year, the company said in its annual report.",
        "Comments by the minister drew protests in the capital on Friday.",
        "Published figures show the economy grew by two percent in the third quarter of the year.",
        "Reporters said the army had closed the road to the border crossing.",
    ],
)
def test_content_is_not_boilerplate(line: str) -> None:
    assert boilerplate_reason(line) is None


def test_repeated_caption_keeps_one_copy_without_credit() -> None:
    text = (
        f"{PARA_A}\n\n {CAPTION} (photo credit: VIA AGENCY)\n{CAPTION}\n(photo credit: VIA AGENCY)"
        f"\n\n{PARA_B}"
    )
    cleaned, removed = clean_text(text)
    assert cleaned == f"{PARA_A}\n\n{CAPTION}\n\n{PARA_B}"
    assert [(r.reason, r.text) for r in removed] == [
        ("photo credit", "(photo credit: VIA AGENCY)"),
        ("duplicate caption", CAPTION),
        ("photo credit", "(photo credit: VIA AGENCY)"),
    ]


def test_verbatim_caption_pair_without_credit_on_consecutive_lines() -> None:
    cleaned, removed = clean_text(f"{PARA_A}\n\n{CAPTION}\n{CAPTION}\n\n{PARA_B}")
    assert cleaned == f"{PARA_A}\n\n{CAPTION}\n\n{PARA_B}"
    assert [r.reason for r in removed] == ["duplicate caption"]


def test_caption_inside_a_longer_caption_keeps_the_longer() -> None:
    longer = f"{CAPTION} The talks ended without a statement."
    cleaned, removed = clean_text(f"{PARA_A}\n\n{CAPTION}\n{longer}\n\n{PARA_B}")
    assert cleaned == f"{PARA_A}\n\n{longer}\n\n{PARA_B}"
    assert [(r.reason, r.text) for r in removed] == [("duplicate caption", CAPTION)]


def test_single_caption_stays_without_its_credit() -> None:
    text = f"{PARA_A}\n\n{CAPTION} (credit: EXAMPLE/JOHN SMITH)\n\n{PARA_B}"
    cleaned, removed = clean_text(text)
    assert cleaned == f"{PARA_A}\n\n{CAPTION}\n\n{PARA_B}"
    assert [(r.reason, r.text) for r in removed] == [
        ("photo credit", "(credit: EXAMPLE/JOHN SMITH)")
    ]


def test_agency_credit_in_parentheses_is_cut_but_dateline_agency_kept() -> None:
    text = f"GENEVA, March 2 (Reuters) - {PARA_A}\n\n{CAPTION} (REUTERS/Jane Doe)"
    cleaned, removed = clean_text(text)
    assert "(Reuters)" in cleaned and "Jane Doe" not in cleaned
    assert [r.text for r in removed] == ["(REUTERS/Jane Doe)"]


def test_duplicate_paragraph_keeps_first_copy() -> None:
    cleaned, removed = clean_text(f"{PARA_A}\n\n{PARA_B}\n\n{PARA_A}")
    assert cleaned == f"{PARA_A}\n\n{PARA_B}"
    assert [(r.reason, r.text) for r in removed] == [("duplicate paragraph", PARA_A)]


def test_line_contained_in_a_longer_paragraph_is_a_duplicate() -> None:
    quote = "No statement was issued after the talks ended late in the evening"
    cleaned, removed = clean_text(f"{PARA_A} {quote}.\n\n{PARA_B}\n\n{quote}")
    assert quote in cleaned and cleaned.count(quote) == 1
    assert [(r.reason, r.text) for r in removed] == [("duplicate paragraph", quote)]


def test_near_verbatim_copies_differing_in_spacing_and_case() -> None:
    cleaned, removed = clean_text(f"{PARA_A}\n\n{PARA_B}\n\n{PARA_A.upper().replace(' ', '  ')}")
    assert cleaned == f"{PARA_A}\n\n{PARA_B}"
    assert len(removed) == 1


def test_short_repeated_lines_and_list_items_stay() -> None:
    text = f"Plan B\n\n{PARA_A}\n\nEat every 2 hours\n\n{PARA_B}\n\nEat every 2 hours"
    assert clean_text(text) == (text, [])


def test_whitespace_is_normalised() -> None:
    text = "First  line\u00a0\u00a0here.   \r\n\r\n\r\n\r\nSecond\u200b paragraph.\t\n\n\n"
    assert normalise_whitespace(text) == "First line here.\n\nSecond paragraph."
    assert clean_text(text)[0] == "First line here.\n\nSecond paragraph."


def test_user_patterns_extend_the_shipped_ones(tmp_path: Path) -> None:
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "version: 1\nlines:\n  - reason: house promo\n    max_words: 10\n    patterns: ['visit our shop.*']\n",
        encoding="utf-8",
    )
    patterns = load_patterns([extra])
    cleaned, removed = clean_text(f"{PARA_A}\n\nVisit our shop today!", patterns=patterns)
    assert cleaned == PARA_A and removed[0].reason == "house promo"
    assert boilerplate_reason("Share this article", patterns) == "share prompt"


def test_bad_user_pattern_file_is_a_data_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("lines: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="version"):
        load_patterns([bad])
    bad.write_text(
        "version: 1\nlines:\n  - reason: x\n    patterns: ['(unclosed']\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match="bad pattern"):
        load_patterns([bad])


def test_shipped_file_is_in_the_package() -> None:
    assert PATTERNS_FILE.is_file() and PATTERNS_FILE.parent.name == "data"


def test_repeated_table_rows_and_list_items_stay() -> None:
    row = "| Pos | Player | Team | Plays | Share | Stats | Notes | Rank |"
    item = "- Easy setup for all your devices at home and at work in minutes"
    text = f"{row}\n| 1 | A | B | 2 | 3 | 4 | 5 | 6 |\n\n{PARA_A}\n\n{row}\n\n{item}\n\n{PARA_B}\n\n{item}"
    assert clean_text(text) == (text, [])


def test_bidirectional_overrides_are_not_kept_in_the_text() -> None:
    """Red team: U+202E and friends stayed in article.text, so the desk showed text that reads
    otherwise than it is stored."""
    from eventwire.ingest.clean import clean_text

    text = "Police \u202eetsat\u202c arrested \u2066five\u2069 men\u200f."
    assert clean_text(text)[0] == "Police etsat arrested five men."
