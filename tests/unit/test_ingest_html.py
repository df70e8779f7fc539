"""HTML extraction: main text without page furniture, metadata, paragraph separation."""

from __future__ import annotations

from eventwire.ingest.html import extract_html, fallback_text

BODY = [
    "The two delegations met in Geneva on Tuesday for talks on a ceasefire in the region.",
    "Officials said the meeting lasted three hours and that both sides presented proposals.",
    "A further round is planned for next month, according to a statement from the mediators.",
]
PAGE = f"""<!DOCTYPE html><html><head>
<title>Talks resume in Geneva | Example News</title>
<meta property="og:title" content="Talks resume in Geneva">
<meta property="og:site_name" content="Example News">
<meta property="og:url" content="https://news.example.org/world/talks-resume">
<meta property="article:published_time" content="2024-03-02T09:15:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<article><h1>Talks resume in Geneva</h1>
{"".join(f"<p>{p}</p>" for p in BODY)}
</article>
<section class="comments"><div class="comment"><p>First! This is a reader comment, not news.</p></div></section>
<footer><p>Copyright 2024 Example News. All rights reserved.</p></footer>
</body></html>"""


def test_main_text_and_metadata() -> None:
    content = extract_html(PAGE)
    for paragraph in BODY:
        assert paragraph in content.text
    assert "Home" not in content.text and "Copyright" not in content.text
    assert "reader comment" not in content.text
    assert content.title == "Talks resume in Geneva"
    assert content.sitename == "Example News"
    assert content.url == "https://news.example.org/world/talks-resume"
    assert content.published == "2024-03-02T09:15:00+00:00"  # the stamp, weighed by published.py


def test_paragraphs_are_separated_by_blank_lines() -> None:
    text = extract_html(PAGE).text
    assert f"{BODY[0]}\n\n{BODY[1]}\n\n{BODY[2]}" in text


def test_no_metadata_date_gives_none() -> None:
    page = (
        "<html><body><article>" + "".join(f"<p>{p}</p>" for p in BODY) + "</article></body></html>"
    )
    assert extract_html(page).published is None


def test_fallback_text_is_flat_and_skips_scripts() -> None:
    html = "<div><p>One <b>two</b></p><script>var x;</script><p>three</p><br>four</div>"
    assert fallback_text(html) == "One two\n\nthree\n\nfour"
