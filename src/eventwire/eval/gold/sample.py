"""The seeded, topic-weighted sample of real articles that the gold corpus annotates.

How the sample is drawn (``python scripts/gold_sample.py`` rebuilds ``eval-data/articles/sample.json``):
- every English article of the public corpora between ``MIN_WORDS`` and ``MAX_WORDS`` words of reference
  text is a candidate (the upper bound is the annotation budget: a page of 3,000 words takes a
  careful annotator an hour);
- a candidate whose title, topics or opening mentions at least two topic words (politics,
  conflict, protest, disaster, law) weighs ``TOPIC_WEIGHT``, any other weighs 1;
- each corpus gives its quota by weighted sampling without replacement (Efraimidis-Spirakis keys
  ``u ** (1 / weight)`` from one seeded generator), except the fundus pages, where every topical
  page within the bounds is taken.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable
from pathlib import Path

import py3langid

from eventwire.eval.gold.sources import SourceArticle, iter_corpus

SEED = 20261207
MIN_WORDS = 60
MAX_WORDS = 1600
TOPIC_WEIGHT = 4.0
QUOTAS = {
    "aeb": 34,
    "trnews": 14,
    "gwn": 12,
    "lgl": 12,
    "ecbplus": 12,
    "reuters": 8,
    "wikinews": 6,
}  # "fundus": every topical page

TOPIC_WORDS = frozenset(
    [
        "attack",
        "attacked",
        "attacks",
        "army",
        "arrest",
        "arrested",
        "bomb",
        "bombing",
        "border",
        "campaign",
        "ceasefire",
        "charged",
        "charges",
        "clash",
        "clashes",
        "coalition",
        "congress",
        "conflict",
        "court",
        "courts",
        "crash",
        "crime",
        "criminal",
        "death",
        "deaths",
        "dead",
        "democrat",
        "democratic",
        "diplomat",
        "disaster",
        "earthquake",
        "election",
        "elections",
        "embassy",
        "explosion",
        "fire",
        "flood",
        "floods",
        "gunman",
        "gunmen",
        "hurricane",
        "injured",
        "judge",
        "jury",
        "killed",
        "killing",
        "law",
        "lawsuit",
        "leader",
        "legislature",
        "military",
        "militants",
        "minister",
        "missile",
        "murder",
        "nato",
        "opposition",
        "parliament",
        "police",
        "political",
        "politics",
        "president",
        "prime",
        "prison",
        "protest",
        "protesters",
        "protests",
        "rally",
        "rebels",
        "refugees",
        "republican",
        "riot",
        "riots",
        "sanctions",
        "senate",
        "shooting",
        "soldiers",
        "storm",
        "strike",
        "strikes",
        "summit",
        "suspect",
        "talks",
        "terror",
        "terrorism",
        "terrorist",
        "tornado",
        "treaty",
        "trial",
        "troops",
        "vote",
        "voters",
        "war",
    ]
)
_WORD = re.compile(r"[a-z]+")


def topic_hits(article: SourceArticle) -> int:
    """How many distinct topic words the title, topics and first 600 characters hold."""
    head = " ".join([article.title or "", article.topics, article.text[:600]]).lower()
    return len(TOPIC_WORDS.intersection(_WORD.findall(head)))


def is_topical(article: SourceArticle) -> bool:
    return topic_hits(article) >= 2


def in_bounds(article: SourceArticle) -> bool:
    """Within the annotation budget, and in English (the corpora hold a few other pages)."""
    if not MIN_WORDS <= article.words <= MAX_WORDS:
        return False
    return bool(py3langid.classify(article.text[:2000])[0] == "en")


def weighted_sample(
    articles: Iterable[SourceArticle], quota: int, rng: random.Random
) -> list[SourceArticle]:
    """``quota`` articles drawn without replacement, topical ones ``TOPIC_WEIGHT`` times as likely."""
    keyed = []
    for article in sorted(articles, key=lambda a: a.key):
        weight = TOPIC_WEIGHT if is_topical(article) else 1.0
        keyed.append((rng.random() ** (1.0 / weight), article.key, article))
    keyed.sort(reverse=True)
    return [article for _, _, article in keyed[:quota]]


def draw(data_dir: Path, *, seed: int = SEED) -> list[SourceArticle]:
    """The whole sample, in a stable order (corpus, then key)."""
    rng = random.Random(seed)
    chosen: list[SourceArticle] = []
    for corpus, quota in QUOTAS.items():
        candidates = [a for a in iter_corpus(data_dir, corpus) if in_bounds(a)]
        chosen += weighted_sample(candidates, quota, rng)
    chosen += [a for a in iter_corpus(data_dir, "fundus") if in_bounds(a) and is_topical(a)]
    return sorted(chosen, key=lambda a: (a.corpus, a.key))
