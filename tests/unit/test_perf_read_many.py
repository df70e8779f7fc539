"""``read_many(n_process=2)``: worker processes that load the pipeline once, records in order.

spaCy's own ``nlp.pipe(n_process=...)`` could not carry the eventwire Doc attributes between
processes (it failed on the first article); the worker path must give the records that one
process gives, failures in their places.
"""

from __future__ import annotations

import pytest

from eventwire.reader import read_many

ARTICLES = [
    "Officials met in the capital on Monday, the minister said.",
    "",  # an empty input: a failed record, in its place
    "Police arrested two men in Nairobi on Friday, according to a statement.",
    {"id": "third", "text": "The president will visit Paris next week.", "published": "2024-03-01"},
    "Protesters gathered outside parliament on Sunday.",
]


def test_worker_processes_give_the_single_process_records_in_order() -> None:
    one = list(read_many(ARTICLES, model="blank:en", batch_size=2))
    two = list(read_many(ARTICLES, model="blank:en", batch_size=2, n_process=2))
    assert [r.to_dict() for r in two] == [r.to_dict() for r in one]
    assert [r.error is not None for r in two] == [False, True, False, False, False]


def test_worker_processes_need_a_model_name_not_a_pipeline_object() -> None:
    with pytest.raises(ValueError, match="model="):
        list(read_many(ARTICLES, nlp=object(), n_process=2))  # type: ignore[arg-type]
