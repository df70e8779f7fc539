"""prepare_article: composition of extraction, cleaning, language and date; ids and titles."""

from __future__ import annotations

from eventwire.ingest import RawArticle, article_id, prepare

TEXT = (
    "GENEVA, March 2, 2024 (Wire) - The two delegations met for three hours on Saturday and agreed "
    "to meet again before the end of the month.\n\nStay updated with the latest news!\n\n"
    "Officials described the talks as frank and useful, but no statement was issued."
)


def test_text_article_is_cleaned_dated_and_hashed() -> None:
    article = prepare(RawArticle(origin="a.txt", text=TEXT, title="Talks in Geneva", id="mine-1"))
    assert "Stay updated" not in article.text
    assert article.id == article_id(article.text) and article.given_id == "mine-1"
    assert article.title == "Talks in Geneva" and article.language == "en"
    assert (article.published, article.published_basis) == ("2024-03-02", "inferred")
    assert [r.reason for r in article.removed] == ["newsletter prompt"]


def test_given_date_wins() -> None:
    article = prepare(RawArticle(origin="a.txt", text=TEXT, published="2024-03-03"))
    assert (article.published, article.published_basis) == ("2024-03-03", "given")


def test_html_article_takes_metadata() -> None:
    html = (
        "<html><head><title>Talks in Geneva</title>"
        '<meta property="og:site_name" content="Example Wire">'
        '<meta property="article:published_time" content="2024-03-02">'
        "</head><body><article><p>The two delegations met for three hours and agreed to meet again "
        "before the end of the month, officials said.</p><p>Officials described the talks as frank "
        "and useful, but no statement was issued after the meeting.</p></article></body></html>"
    )
    article = prepare(RawArticle(origin="a.html", html=html, source="Caller"))
    assert article.title == "Talks in Geneva" and article.source == "Caller"
    assert (article.published, article.published_basis) == ("2024-03-02", "metadata")
    assert "\n\nOfficials described" in article.text


def test_undated_article_is_unknown() -> None:
    article = prepare(
        RawArticle(origin="a.txt", text="Officials met on Saturday and talked for hours.")
    )
    assert (article.published, article.published_basis) == (None, "unknown")
