"""One reading of a search box for the whole project: the desk and the `eventwire query`
commands turn typed words into the same FTS5 query, and it is always a safe one.

They used to differ: the desk split "cease-fire" into two required words anywhere in the
sentence, the store queries into the phrase. Both now require each typed term, a term FTS5
splits (hyphens, dots) being a phrase.
"""

from __future__ import annotations

import pytest
from test_store_helpers import make_record

from eventwire.query import corpus
from eventwire.query import events as E
from eventwire.query.corrections import load_overlay
from eventwire.query.filters import EventFilter as DeskFilter
from eventwire.store import fts
from eventwire.store.db import Store, open_store
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch

SENTENCES = [
    "John Smith attacked the Army after the cease-fire in Aleppo.",
    "John Smith attacked the Army; the cease fire held in Aleppo.",
    "John Smith attacked the Army, and fire forced a cease in Aleppo.",
    "John Smith attacked the Army at Aleppo's old base.",
    "John Smith attacked the Army in Aleppo.",
]


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("convoy", '"convoy"'),
        ("  Aleppo   convoy ", '"Aleppo" "convoy"'),
        ('say "no"', '"say" """no"""'),
        ("x') OR 1=1; --", '"x\')" "OR" "1=1;"'),
        ("cease-fire U.S.", '"cease-fire" "U.S."'),
        ("", None),
        ("  ?! -- ", None),
        ('"', None),
        ("Aleppo\x00convoy", '"Aleppo" "convoy"'),  # a NUL ended the FTS5 string: a 500
        ("\x00\x1f", None),
    ],
)
def test_typed_words_become_quoted_required_terms(typed: str, query: str | None) -> None:
    assert fts.query_of(typed) == query


def test_only_the_first_terms_count() -> None:
    typed = " ".join(f"w{i}" for i in range(50))
    assert fts.query_of(typed) == " ".join(f'"w{i}"' for i in range(fts.MAX_TERMS))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    records = [make_record(text, date=f"2024-03-0{i + 1}") for i, text in enumerate(SENTENCES)]
    db = open_store(str(tmp_path_factory.mktemp("fts") / "q.db"))
    results = [Result(f"k{i}", f"o{i}", r) for i, r in enumerate(records)]
    with db.session() as session, session.begin():
        write_batch(session, results, Stamp("0", "blank", {}), fts=True)
    return db


def desk_texts(store: Store, typed: str) -> set[str]:
    with store.session() as session:
        items, _total = E.list_events(session, DeskFilter(q=typed), load_overlay(session), limit=50)
    return {e["evidence"]["text"] for e in items}


def store_texts(store: Store, typed: str) -> set[str]:
    """What the command line's ``events --search`` lists (the read layer's whole-store call)."""
    page = corpus.events(store, DeskFilter(q=typed))
    return {e["evidence"]["text"] for e in page.items}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cease-fire", {0, 1}),  # the phrase, with or without its hyphen
        ("cease fire", {0, 1, 2}),  # both words, anywhere
        ("Aleppo's base", {3}),  # the phrase "Aleppo s", then "base"
        ("Aleppo", {0, 1, 2, 3, 4}),
        ("x') OR 1=1; --", set()),
        ("?!", set()),
    ],
)
def test_desk_and_store_queries_find_the_same_events(store: Store, typed: str, expected) -> None:  # type: ignore[no-untyped-def]
    want = {SENTENCES[i] for i in expected}
    assert desk_texts(store, typed) == want
    assert store_texts(store, typed) == want


def test_a_nul_byte_in_a_search_is_searched_not_an_error(store: Store) -> None:
    """Red team: a NUL in ``q`` was an FTS5 syntax error, a 500 on eleven routes."""
    assert desk_texts(store, "Aleppo\x00base") == store_texts(store, "Aleppo\x00base")
    assert store_texts(store, "Aleppo\x00base") == {SENTENCES[3]}
