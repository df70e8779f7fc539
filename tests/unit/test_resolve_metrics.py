"""Coreference metrics (MUC, B3, CEAF-e, CoNLL) and the ECB+ reader of `eval corpus-events`."""

from __future__ import annotations

import pytest
import spacy

from eventwire.eval.suites.corpus_events import (
    gold_clusters,
    lemma_clusters,
    read_document,
    story_clusters,
)
from eventwire.resolve.metrics import b_cubed, ceaf_e, conll_f1, muc

KEY = [{1, 2, 3}, {4, 5}]
RESPONSE = [{1, 2}, {3, 4, 5}]


def test_hand_computed_scores() -> None:
    assert muc(KEY, RESPONSE) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    assert b_cubed(KEY, RESPONSE)[1] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert ceaf_e(KEY, RESPONSE) == pytest.approx((0.8, 0.8, 0.8))


def test_perfect_and_all_singletons() -> None:
    assert conll_f1(KEY, KEY)["conll"] == pytest.approx(1.0)
    singletons = [{m} for m in range(1, 6)]
    scores = conll_f1(KEY, singletons)
    assert scores["muc"] == 0.0 and 0 < scores["b3"] < 1


DOC = """<Document doc_name="{stem}.xml">
<token t_id="1" sentence="1">Smith</token><token t_id="2" sentence="1">attacked</token>
<token t_id="3" sentence="1">Boston</token><token t_id="4" sentence="2">It</token>
<token t_id="5" sentence="2">attacked</token>
<Markables>
<HUMAN_PART_PER m_id="1"><token_anchor t_id="1"/></HUMAN_PART_PER>
<ACTION_OCCURRENCE m_id="2"><token_anchor t_id="2"/></ACTION_OCCURRENCE>
<LOC_GEO m_id="3"><token_anchor t_id="3"/></LOC_GEO>
<ACTION_OCCURRENCE m_id="4"><token_anchor t_id="5"/></ACTION_OCCURRENCE>
</Markables>
<Relations><CROSS_DOC_COREF r_id="9" note="ACT1"><source m_id="2"/><target m_id="99"/></CROSS_DOC_COREF></Relations>
</Document>"""


def test_reader_and_grouping_on_a_tiny_topic() -> None:
    nlp = spacy.blank("en")
    keep = {("1_1ecb", 1), ("1_1ecb", 2), ("1_2ecb", 1), ("1_3ecb", 1)}
    docs = {
        "1_1ecb": DOC,
        "1_2ecb": DOC,
        "1_3ecb": DOC.replace("Smith", "Jones").replace("Boston", "Denver"),
    }
    mentions = [
        m
        for stem, xml in docs.items()
        for m in read_document(xml.format(stem=stem).encode(), stem, 1, keep, nlp)
    ]
    assert len(mentions) == 4  # sentence 2 is checked only in 1_1ecb
    first = mentions[0]
    assert (first.gold, first.lemma, first.actors, first.places) == (
        "ACT1",
        "attacked",
        frozenset({"smith"}),
        frozenset({"boston"}),
    )
    assert len(gold_clusters(mentions)) == 2
    assert len(lemma_clusters(mentions)) == 1
    groups = sorted(sorted(g) for g in story_clusters(mentions))
    assert groups == [["1_1ecb:2", "1_1ecb:4", "1_2ecb:2"], ["1_3ecb:2"]]
