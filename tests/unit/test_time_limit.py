"""The per-article time limit (engine.time_limit, read_many(time_limit=), EngineOptions).

A deliberately slow component on spacy.blank("en") stands in for a pathological stage: it spins
in Python for a long time on any text that holds the word SLOWPAGE. One kind checks the
deadline as it loops, as the eventwire stages do; the other never checks (a user's component).
In the main thread an alarm stops both; in other threads (Dask's task threads) the checking one
stops at the limit and the other at the next eventwire stage. No trained model is needed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire import deadline, read_many
from eventwire.engine import (
    ArticleTimeout,
    EngineOptions,
    extract_batch,
    run,
    time_limit,
)
from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.nlp import add_components

LIMIT = 0.3
SPIN_SECONDS = 20.0
T = TypeVar("T")


def spin(seconds: float) -> None:
    """Busy Python work (what a quadratic stage does), not a sleep."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


@Language.component("ew_test_slow_stage")
def slow_stage(doc: Doc) -> Doc:
    if "SLOWPAGE" in doc.text:
        spin(SPIN_SECONDS)
    return doc


@Language.component("ew_test_slow_checking_stage")
def slow_checking_stage(doc: Doc) -> Doc:
    """Loops like an eventwire stage on a pathological page: checks the deadline each round."""
    if "SLOWPAGE" in doc.text:
        end = time.monotonic() + SPIN_SECONDS
        while time.monotonic() < end:
            deadline.check()
    return doc


def in_thread(work: Callable[[], T]) -> T:
    """``work()`` run in a new (non-main) thread, where no alarm can reach; its result."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result(timeout=SPIN_SECONDS)


def ordinary(origin: str) -> RawArticle:
    text = "Talks resume\n\nFinance ministers of the two countries met in the capital on Tuesday.\n"
    return RawArticle(origin=origin, text=text, published="2024-01-02")


def slow(origin: str) -> RawArticle:
    text = "Tags\n\nThe SLOWPAGE lists talks between the two sides in the capital.\n"
    return RawArticle(origin=origin, text=text, published="2024-01-02")


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("ew_test_slow_stage")
    add_components(pipeline)
    list(read_many([ordinary("warm")], nlp=pipeline))  # load lazily loaded data once
    return pipeline


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A saved blank pipeline holding the slow stage, loadable by path as ``--model``."""
    pipeline = spacy.blank("en")
    pipeline.add_pipe("ew_test_slow_stage")
    path = tmp_path_factory.mktemp("slow_model") / "model"
    pipeline.to_disk(path)
    return str(path)


def test_a_block_over_the_limit_raises_article_timeout_naming_it() -> None:
    started = time.monotonic()
    with pytest.raises(ArticleTimeout) as raised, time_limit(LIMIT, "page.html"):
        spin(SPIN_SECONDS)
    assert time.monotonic() - started < LIMIT + 2
    assert isinstance(raised.value, InputError)
    assert str(raised.value) == "page.html: extraction exceeded the time limit of 0.3 s"


def test_a_block_within_the_limit_runs_and_leaves_no_alarm_behind() -> None:
    with time_limit(LIMIT, "quick"):
        spin(0.01)
    spin(LIMIT + 0.2)  # would raise here if the alarm were still set


@pytest.mark.parametrize("seconds", [None, 0])
def test_no_limit_lets_a_block_run(seconds: float | None) -> None:
    with time_limit(seconds, "free"):
        spin(LIMIT + 0.1)


def test_outside_the_main_thread_code_that_checks_stops_at_the_limit() -> None:
    def work() -> float:
        started = time.monotonic()
        exceeded = pytest.raises(ArticleTimeout, match="thread: extraction exceeded")
        with exceeded, time_limit(LIMIT, "thread"):
            while time.monotonic() - started < SPIN_SECONDS:
                deadline.check()
        return time.monotonic() - started

    assert threading.current_thread() is threading.main_thread()
    assert LIMIT <= in_thread(work) < LIMIT + 1


def test_outside_the_main_thread_code_that_never_checks_runs_to_its_end() -> None:
    outcome: list[str] = []

    def work() -> None:
        with time_limit(0.05, "thread"):
            spin(0.3)
        outcome.append("finished")

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert outcome == ["finished"]


def test_an_enclosing_limit_still_holds_after_an_inner_one() -> None:
    with pytest.raises(ArticleTimeout) as raised, time_limit(LIMIT, "outer"):
        with time_limit(5, "inner"):
            spin(0.01)
        spin(SPIN_SECONDS)
    assert raised.value.source == "outer"


def test_read_many_cuts_off_the_slow_article_and_reads_the_rest(nlp: Language) -> None:
    raws = [ordinary("a.txt"), slow("b.txt"), ordinary("c.txt")]
    started = time.monotonic()
    records = list(read_many(raws, nlp=nlp, batch_size=3, time_limit=LIMIT))
    assert time.monotonic() - started < 4 * LIMIT + 3
    assert [r.error for r in records] == [
        None,
        "b.txt: extraction exceeded the time limit of 0.3 s",
        None,
    ]
    assert records[2].article.text.startswith("Talks resume")


def test_read_many_without_a_limit_waits_for_the_slow_article(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(globals(), "SPIN_SECONDS", LIMIT * 2)
    records = list(read_many([slow("b.txt")], nlp=nlp))
    assert records[0].error is None


def test_extract_batch_records_the_slow_article_as_a_failure(model_dir: str) -> None:
    raws = [ordinary("a.txt"), slow("b.txt"), ordinary("c.txt")]
    results = extract_batch(raws, model_dir, (), LIMIT)
    assert [r.origin for r in results] == ["a.txt", "b.txt", "c.txt"]
    assert results[1].record.error == "b.txt: extraction exceeded the time limit of 0.3 s"
    assert results[0].record.error is None and results[2].record.error is None


def test_the_in_process_engine_passes_its_options_limit(model_dir: str) -> None:
    options = EngineOptions(model=model_dir, batch_size=2, time_limit=LIMIT)
    raws = [slow("b.txt"), ordinary("a.txt"), ordinary("c.txt")]
    results = [r for batch in run(raws, options) for r in batch]
    failed = [r.origin for r in results if r.record.error]
    assert failed == ["b.txt"] and len(results) == 3


def test_the_default_limit_is_two_minutes() -> None:
    assert EngineOptions().time_limit == 120.0


def test_the_cli_maps_zero_to_no_limit_and_refuses_a_negative_one() -> None:
    import click

    from eventwire.cli.corpus import _engine

    assert _engine(1, None, None, (), 8, 0).time_limit is None
    assert _engine(1, None, None, (), 8, 2.5).time_limit == 2.5
    with pytest.raises(click.BadParameter):
        _engine(1, None, None, (), 8, -1)


@pytest.fixture(scope="module")
def checking_nlp() -> Language:
    """A blank pipeline whose slow stage checks the deadline, then the eventwire stages."""
    pipeline = spacy.blank("en")
    pipeline.add_pipe("ew_test_slow_checking_stage")
    add_components(pipeline)
    list(read_many([ordinary("warm")], nlp=pipeline))
    return pipeline


@pytest.fixture(scope="module")
def checking_model_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    pipeline = spacy.blank("en")
    pipeline.add_pipe("ew_test_slow_checking_stage")
    path = tmp_path_factory.mktemp("slow_checking_model") / "model"
    pipeline.to_disk(path)
    return str(path)


def test_read_many_in_a_thread_cuts_off_the_slow_article(checking_nlp: Language) -> None:
    raws = [ordinary("a.txt"), slow("b.txt"), ordinary("c.txt")]
    started = time.monotonic()
    records = in_thread(lambda: list(read_many(raws, nlp=checking_nlp, time_limit=LIMIT)))
    assert time.monotonic() - started < 4 * LIMIT + 3
    assert [r.error for r in records] == [
        None,
        "b.txt: extraction exceeded the time limit of 0.3 s",
        None,
    ]


def test_in_a_thread_a_stage_that_never_checks_fails_at_the_next_eventwire_stage(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(globals(), "SPIN_SECONDS", LIMIT * 3)
    records = in_thread(lambda: list(read_many([slow("b.txt")], nlp=nlp, time_limit=LIMIT)))
    assert records[0].error == "b.txt: extraction exceeded the time limit of 0.3 s"


def test_extract_batch_in_a_thread_records_the_slow_article_as_a_failure(
    checking_model_dir: str,
) -> None:
    """What a Dask worker does: the batch runs in a task thread, not the main thread."""
    raws = [ordinary("a.txt"), slow("b.txt"), ordinary("c.txt")]
    results = in_thread(lambda: extract_batch(raws, checking_model_dir, (), LIMIT))
    assert [r.origin for r in results] == ["a.txt", "b.txt", "c.txt"]
    assert results[1].record.error == "b.txt: extraction exceeded the time limit of 0.3 s"
    assert results[0].record.error is None and results[2].record.error is None
    assert results[2].record.article.text.startswith("Talks resume")
