"""The cooperative per-article deadline (eventwire.deadline): per thread, nestable, cheap.

Each eventwire stage calls ``deadline.check()`` as it starts; a Doc built by hand shows that
every one of them stops an article that is already past its deadline.
"""

from __future__ import annotations

import threading
import time

import pytest
import spacy
from spacy.language import Language

from eventwire import deadline
from eventwire.errors import ArticleTimeout
from eventwire.ingest import PreparedArticle
from eventwire.nlp import COMPONENTS, add_components


def past_deadline(seconds: float = 0.01) -> None:
    """Wait until a deadline of ``seconds`` set just before has passed."""
    time.sleep(seconds + 0.01)


def test_without_a_deadline_check_does_nothing() -> None:
    assert deadline.current() is None
    deadline.check()


@pytest.mark.parametrize("seconds", [None, 0, -1])
def test_no_limit_sets_no_deadline(seconds: float | None) -> None:
    with deadline.deadline(seconds, "free"):
        assert deadline.current() is None


def test_check_raises_once_the_deadline_has_passed_and_names_the_article() -> None:
    with deadline.deadline(0.01, "page.html"):
        deadline.check()  # within the limit
        past_deadline()
        with pytest.raises(ArticleTimeout) as raised:
            deadline.check()
    assert str(raised.value) == "page.html: extraction exceeded the time limit of 0.01 s"


def test_leaving_the_block_removes_the_deadline() -> None:
    with deadline.deadline(0.01, "done"):
        pass
    past_deadline()
    deadline.check()
    assert deadline.current() is None


def test_an_inner_deadline_cannot_extend_an_outer_one() -> None:
    with deadline.deadline(0.01, "outer"), deadline.deadline(60, "inner"):
        assert deadline.current().source == "outer"
        past_deadline()
        with pytest.raises(ArticleTimeout, match="outer"):
            deadline.check()


def test_a_sooner_inner_deadline_applies_and_the_outer_one_returns() -> None:
    with deadline.deadline(60, "outer"):
        with deadline.deadline(0.01, "inner"):
            past_deadline()
            with pytest.raises(ArticleTimeout, match="inner"):
                deadline.check()
        deadline.check()
        assert deadline.current().source == "outer"


def test_a_deadline_belongs_to_the_thread_that_set_it() -> None:
    seen: list[object] = []
    other = threading.Thread(target=lambda: seen.append(deadline.current()))
    with deadline.deadline(0.01, "main"):
        other.start()
        other.join()
    assert seen == [None]


def test_check_is_cheap() -> None:
    with deadline.deadline(60, "busy"):
        started = time.perf_counter()
        for _ in range(100_000):
            deadline.check()
        elapsed = time.perf_counter() - started
    assert elapsed < 0.5  # about 0.02 s on one core: fine once per token


@pytest.fixture(scope="module")
def blank() -> Language:
    return add_components(spacy.blank("en"))


@pytest.mark.parametrize("stage", COMPONENTS)
def test_every_eventwire_stage_stops_an_article_past_its_deadline(
    blank: Language, stage: str
) -> None:
    doc = blank.make_doc("Officials met in the capital on Tuesday.")
    doc._.ew_meta = PreparedArticle(origin="late.txt", id="late", text=doc.text)
    with deadline.deadline(0.01, "late.txt"):
        past_deadline()
        with pytest.raises(ArticleTimeout, match="late.txt"):
            blank.get_pipe(stage)(doc)
