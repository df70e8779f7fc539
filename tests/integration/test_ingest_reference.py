"""Ingest of the reference article (a raw scrape) and the html suite's quick sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.eval.suites.html import SUITE
from eventwire.ingest import RawArticle, prepare
from eventwire.ingest.readers import iter_inputs

pytestmark = pytest.mark.integration

SEED_NAME = "000_f71b5d3548721a5d.txt"


@pytest.fixture(scope="module")
def seed_article(shared_dir: Path):  # noqa: ANN201
    path = shared_dir / "seeds" / SEED_NAME
    if not path.is_file():
        pytest.skip(f"reference article not found at {path}")
    [raw] = list(iter_inputs([str(path)]))
    assert isinstance(raw, RawArticle)
    return raw, prepare(raw)


def test_title_line_is_the_title(seed_article) -> None:  # noqa: ANN001
    raw, article = seed_article
    assert article.title == raw.title and raw.title is not None
    assert raw.title not in article.text.split("\n\n")[0]


def test_newsletter_lines_are_removed_with_reasons(seed_article) -> None:  # noqa: ANN001
    _, article = seed_article
    newsletter = [r.text for r in article.removed if r.reason == "newsletter prompt"]
    assert len(newsletter) == 2
    assert not any(line in article.text for line in newsletter)
    assert "Newsletter" not in article.text and "Stay updated" not in article.text


def test_repeated_captions_and_credits_are_removed(seed_article) -> None:  # noqa: ANN001
    raw, article = seed_article
    captions = [r.text for r in article.removed if r.reason == "duplicate caption"]
    credits = [r.text for r in article.removed if r.reason == "photo credit"]
    assert len(captions) == 2 and len(credits) == 3
    for caption in captions:
        assert caption in raw.text
        assert article.text.count(caption.split(" (")[0]) == 1  # one copy of each caption stays
    assert "credit" not in article.text.lower()
    assert article.text.count("handout image") == 1


def test_body_paragraphs_survive(seed_article) -> None:  # noqa: ANN001
    raw, article = seed_article
    kept = [p for p in raw.text.split("\n\n") if len(p.split()) > 40 and "credit" not in p]
    assert kept and all(" ".join(p.split()) in article.text for p in kept)
    assert "\n\n\n" not in article.text and article.language == "en"


def test_publication_date_is_inferred_from_the_caption(seed_article) -> None:  # noqa: ANN001
    _, article = seed_article
    assert (article.published, article.published_basis) == ("2023-10-25", "inferred")


def test_html_suite_quick_sample(shared_dir: Path) -> None:
    result = SUITE.run(shared_dir / "eval", quick=True)
    if not result.available:
        pytest.skip(f"html benchmark not available: {result.notes}")
    f1 = next(m for m in result.metrics if m.key == "html.f1_quick")
    assert f1.value is not None and f1.baseline is not None
    assert f1.value >= f1.baseline - 0.005
    assert f1.value >= 0.95
