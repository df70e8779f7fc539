"""Cleaning for the web as it is (issue 15): furniture found by a page's markup, line rules for
what text inputs carry, removals on record, paragraph breaks as sentence ends.

Every page and line here is written for these tests."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from eventwire.ingest import RawArticle, prepare
from eventwire.ingest.clean import clean_text
from eventwire.ingest.furniture import remove_furniture
from eventwire.ingest.html import extract_html

REPORT = [
    "Rescue teams reached the flooded valley on Tuesday after two days of heavy rain, the "
    "regional governor told reporters at a briefing in the provincial capital.",
    "At least forty families were moved to a school on higher ground, and the army sent "
    "boats and a field kitchen to the villages cut off by the water.",
    "The weather service said more rain was expected over the weekend and warned residents "
    "near the river to stay away from the banks until the level falls.",
    "Farmers in the valley said the water had destroyed most of the maize harvest and "
    "drowned cattle in low-lying fields along the main road.",
]


def _page(furniture: str, *, wrapper: str = "article") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in REPORT)
    return (
        "<html><head><title>Floods cut off valley villages</title></head><body>"
        f"<{wrapper}><h1>Floods cut off valley villages</h1>{paragraphs}{furniture}</{wrapper}>"
        "</body></html>"
    )


def _removed(html: str) -> list[tuple[str, str]]:
    tree = lxml_html.document_fromstring(html)
    return [(r.reason, r.text) for r in remove_furniture(tree)]


@pytest.mark.parametrize(
    ("markup", "reason"),
    [
        ("<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>", "navigation"),
        ("<aside><p>Key facts box about another valley</p></aside>", "aside"),
        ("<footer><p>About us. Contact. Careers.</p></footer>", "footer"),
        ("<div role='navigation'><a href='/a'>Sport</a></div>", "navigation"),
        (
            "<div class='related-stories'><h3>Bridge closed after storm</h3>"
            "<p>Drivers told to avoid the coast road</p></div>",
            "related links",
        ),
        ("<div class='newsletter-box'><p>Get our morning briefing</p></div>", "newsletter prompt"),
        ("<div class='share-bar'><span>Facebook</span><span>X</span></div>", "share prompt"),
        ("<div class='byline'>By Ana Example, regional reporter</div>", "byline"),
        ("<span class='image-credit'>Ana Example / Example Agency</span>", "photo credit"),
        ("<ol class='breadcrumb'><li>Home</li><li>World</li></ol>", "section label"),
        (
            "<ul><li><a href='/1'>Storm hits coast</a></li><li><a href='/2'>Dam opens gates</a>"
            "</li><li><a href='/3'>Schools shut for week</a></li></ul>",
            "link list",
        ),
        ("<h3><a href='/x'>VILLAGERS DIG OUT AFTER MUDSLIDE</a></h3>", "teaser link"),
        ("<p><a href='/y'>Opinion: why the dam failed</a></p>", "teaser link"),
    ],
)
def test_furniture_is_removed_by_its_markup_with_its_reason(markup: str, reason: str) -> None:
    found = _removed(_page(markup))
    assert [why for why, _ in found] == [reason]
    content = extract_html(_page(markup))
    assert all(p in content.text for p in REPORT)
    assert found[0][1] not in content.text


def test_a_link_inside_a_sentence_is_not_a_teaser() -> None:
    markup = "<p>The governor <a href='/g'>said in a statement</a> that aid would follow.</p>"
    assert _removed(_page(markup)) == []


def test_a_list_of_facts_with_a_link_is_not_a_link_list() -> None:
    markup = (
        "<ul><li>Forty families moved to a school</li><li>Boats sent to three villages</li>"
        "<li>More rain expected, <a href='/w'>says the weather service</a></li></ul>"
    )
    assert _removed(_page(markup)) == []


def test_the_report_itself_is_never_removed_whatever_its_class() -> None:
    """A class naming furniture on the element that holds the report (or broken markup that
    nests the report inside an aside) must not remove the report."""
    for wrapper in ("div class='article-share-wrapper'", "aside"):
        page = _page("", wrapper=wrapper).replace(f"</{wrapper}>", f"</{wrapper.split()[0]}>")
        content = extract_html(page)
        assert all(p in content.text for p in REPORT)


def test_html_removals_are_on_record_through_prepare() -> None:
    """Before, ``removed`` stayed empty for a page even when its navigation was dropped."""
    page = _page("<div class='related-stories'><p>Bridge closed after storm</p></div>").replace(
        "<body>", "<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
    )
    prepared = prepare(RawArticle(origin="page.html", html=page))
    reasons = [r.reason for r in prepared.removed]
    assert "navigation" in reasons and "related links" in reasons
    assert "Bridge closed" not in prepared.text


def test_visible_lines_the_extractor_left_out_are_recorded() -> None:
    page = _page("").replace(
        "</body>", "<div><span>Search the archive of floods</span></div></body>"
    )
    removed = extract_html(page).removed
    assert any(r.reason == "outside main text" and "Search the archive" in r.text for r in removed)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("MORE : Three hurt as bus overturns on mountain pass", "related links"),
        ("Read more: Dam operator blamed for late warning", "related links"),
        ("Flood victims demand answers from council [VIDEO]", "related links"),
        ("Storm chasers film tornado over farmland [INSIGHT]|", "related links"),
        ("Most read in Football", "related links"),
        ("You might also like", "related links"),
        ("Got a story? Get in touch with our news desk at desk@example.org", "contact prompt"),
        ("Follow Example News on Facebook and X for the latest updates.", "share prompt"),
        ("Sign up for The Example Briefing, our free daily newsletter.", "newsletter prompt"),
        ("Like this story? Share it with a friend!", "share prompt"),
        ("By Ana Example and Ben Sample", "byline"),
        ("Ana Example, Example TV regional correspondent", "byline"),
        ("Photo: Ana Example", "photo credit"),
        ("Video: Drone footage of the flooded valley", "photo credit"),
        ("© Example Agency", "photo credit"),
        ("Contributing: Ben Sample", "reporting credit"),
        ("Story continues below gallery", "advertisement"),
        ("Join our commenting forum", "comments link"),
        ("5:45 AM PST 11/19/2019 by", "timestamp"),
        (
            "This copy is for your personal, non-commercial use only. Reprints are available.",
            "copyright notice",
        ),
    ],
)
def test_furniture_lines_in_text_are_removed_with_their_reason(line: str, reason: str) -> None:
    cleaned, removed = clean_text(f"{REPORT[0]}\n\n{line}\n\n{REPORT[1]}")
    assert cleaned == f"{REPORT[0]}\n\n{REPORT[1]}"
    assert [(r.reason, r.text) for r in removed] == [(reason, line)]


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the day, the water had reached the church steps.",
        "More than 200 people were moved overnight.",
        "The governor said the dam held, according to the state news agency.",
        "Most residents stayed with relatives in the town.",
    ],
)
def test_report_sentences_like_furniture_stay(line: str) -> None:
    cleaned, removed = clean_text(f"{REPORT[0]}\n\n{line}")
    assert line in cleaned and removed == []


@pytest.mark.parametrize(
    ("caption", "credit"),
    [
        (
            "Volunteers fill sandbags in the square. (Ana Example/Example Agency)",
            "(Ana Example/Example Agency)",
        ),
        ("Volunteers fill sandbags in the square. (Ana B. Example/AP)", "(Ana B. Example/AP)"),
        ("A boat carries families to the school in the valley.Reuters", "Reuters"),
    ],
)
def test_photo_credits_are_cut_from_captions(caption: str, credit: str) -> None:
    cleaned, removed = clean_text(caption)
    assert credit not in cleaned and cleaned.startswith(caption[:20])
    assert [(r.reason, r.text) for r in removed] == [("photo credit", credit)]


def test_a_parenthesis_with_a_slash_that_is_no_credit_stays() -> None:
    text = "Talks between the two sides (Israel/Hamas) resumed, and the ratio (3/4) held."
    assert clean_text(text) == (text, [])


def test_a_teaser_block_under_a_label_goes_whole_up_to_the_next_sentence() -> None:
    text = "\n\n".join(
        [
            REPORT[0],
            "You might also like",
            "Dam operator blamed for late warning",
            "THREE HURT AS BUS OVERTURNS ON MOUNTAIN PASS",
            REPORT[1],
            "Officials will meet again on Friday",
        ]
    )
    cleaned, removed = clean_text(text)
    assert cleaned.split("\n\n") == [REPORT[0], REPORT[1], "Officials will meet again on Friday"]
    assert [r.reason for r in removed] == ["related links"] * 3


def test_a_read_more_link_line_does_not_start_a_teaser_block() -> None:
    text = f"{REPORT[0]}\n\nRead more: Dam operator blamed for late warning\n\nRescue Teams Return"
    cleaned, _ = clean_text(text)
    assert cleaned.endswith("Rescue Teams Return")


def test_visible_lines_read_from_the_tree_match_the_fallback_reader() -> None:
    """The lines recorded as left out are the page's visible lines: hidden elements and
    comments show only their tails, blocks break lines (as :func:`fallback_text` reads them)."""
    from eventwire.ingest.html import _visible_lines, fallback_text

    page = (
        "<html><body><div>Flood<script>x()</script> warning<!-- note --> issued"
        "<p>Roads closed</p>after<nav>Home</nav> the bridge<br>Schools shut</div></body></html>"
    )
    lines = _visible_lines(lxml_html.document_fromstring(page))
    assert lines == fallback_text(page).split("\n\n")
    assert lines == ["Flood warning issued", "Roads closed", "after the bridge", "Schools shut"]
