"""Agreement between two independent annotations of the same articles.

The second annotation is scored against the first with the engine's own matcher
(:mod:`eventwire.eval.gold.score`), so "strict" and "lenient" mean the same for annotators as for
eventwire. Event F1 is symmetric under one-to-one matching (precision one way is recall the
other). Type agreement is read on the events both annotators placed in the same sentences (a
one-to-one matching on evidence that pairs events of the same category first): the share of those
pairs with the same PLOVER category.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from eventwire.eval.base import prf
from eventwire.eval.gold.corpus import GoldArticle
from eventwire.eval.gold.score import ArticleScorer, Tally, from_gold, one_to_one, score_article


@dataclass(frozen=True, slots=True)
class Agreement:
    articles: int
    events_first: int
    events_second: int
    strict_f1: float
    lenient_f1: float
    located_f1: float  # same sentences, any type
    type_agreement: float | None
    per_article: tuple[tuple[str, int, int, int], ...]  # key, first, second, lenient matches


def _located(first: GoldArticle, second: GoldArticle, text: str) -> tuple[int, int]:
    """(pairs placed in the same sentences one to one, of which the same type)."""
    pred = from_gold(second, text)
    scorer = ArticleScorer(first, text, pred)
    meets = [
        (i, j)
        for i, p in enumerate(pred.events)
        for j, g in enumerate(first.events)
        if scorer.meets(p, g)
    ]
    same = one_to_one(
        (i, j) for i, j in meets if pred.events[i].type == first.events[j].type
    )  # pairs of the same type first, then whatever sentences are left
    used_p, used_g = {i for i, _ in same}, {j for _, j in same}
    other = one_to_one((i, j) for i, j in meets if i not in used_p and j not in used_g)
    return len(same) + len(other), len(same)


def agreement(pairs: list[tuple[GoldArticle, GoldArticle, str]]) -> Agreement:
    """Agreement of the second annotations with the first, over (first, second, text) triples."""
    tally = Tally()
    located = Counter[str]()
    rows = []
    for first, second, text in pairs:
        before = tally.counts["lenient"]
        score_article(first, text, from_gold(second, text), tally, words=len(text.split()))
        n, same = _located(first, second, text)
        located["pairs"] += n
        located["same"] += same
        rows.append(
            (first.key, len(first.events), len(second.events), tally.counts["lenient"] - before)
        )
    c = tally.counts
    strict = prf(c["strict"], c["pred"] - c["strict"], c["gold"] - c["strict"])[2]
    lenient = prf(c["lenient"], c["pred"] - c["lenient"], c["gold"] - c["lenient"])[2]
    placed = prf(located["pairs"], c["pred"] - located["pairs"], c["gold"] - located["pairs"])[2]
    return Agreement(
        articles=len(pairs),
        events_first=c["gold"],
        events_second=c["pred"],
        strict_f1=strict,
        lenient_f1=lenient,
        located_f1=placed,
        type_agreement=located["same"] / located["pairs"] if located["pairs"] else None,
        per_article=tuple(rows),
    )
