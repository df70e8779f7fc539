"""Generic actors: "the government", "officials", "the army", "police", "people".

The per-article step codes such phrases as agent entities (``kb_id`` ``agent:SECTOR``, see
:mod:`eventwire.extract.agents`), with a country only when the text qualifies the phrase
("Kenyan police"). Across articles they are not one actor: merged corpus-wide, "the government"
of a Japanese, a British and a Philippine story became one actor with whatever country came
first (issue 16). So, before clustering, each agent entity is *placed*:

* an institution (type ORG: the government, the army, the police, a court) with a country,
  its own or the article's (:func:`context_countries`: the country of at least
  :data:`CONTEXT_SHARE` of the article's place mentions), is a specific actor: that country's
  institution, one actor across articles ("government", JPN);
* anything else stays local to its article (``EntityInfo.scope``): an institution of no known
  country, and groups named by what they are ("officials", "people", "protesters"), which are
  never one actor across articles. Their actors are marked ``generic`` so that lists, networks
  and exports can hide them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from eventwire.resolve.actors import EntityInfo, is_agent, most_common

#: Entity types whose country places an article.
PLACE_TYPES = ("GPE", "LOC", "NORP")
#: The share of an article's place mentions one country must hold to be its context.
CONTEXT_SHARE = 2 / 3
#: Agent types that name one institution of a country.
INSTITUTION_TYPES = frozenset({"ORG"})


def context_countries(places: Iterable[tuple[str, str, int]]) -> dict[str, str]:
    """article id -> the country its places point to, from (article, country, mentions)."""
    weights: dict[str, Counter[str]] = defaultdict(Counter)
    for article, country, mentions in places:
        if country:
            weights[article][country] += max(int(mentions or 0), 1)
    out = {}
    for article, counts in weights.items():
        country, top = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        if top >= CONTEXT_SHARE * sum(counts.values()):
            out[article] = country
    return out


def place(item: EntityInfo, article: str, contexts: Mapping[str, str]) -> EntityInfo:
    """The entity as resolution clusters it: non-agents unchanged; an agent with its country
    (its own, else its article's for an institution) or scoped to its article."""
    if not is_agent(item):
        return item
    if item.type in INSTITUTION_TYPES:
        country = item.country or contexts.get(article)
        if country:
            return replace(item, country=country, scope=None)
    return replace(item, scope=article)


def traits(members: Sequence[EntityInfo]) -> dict[str, object]:
    """What an actor's row takes from its placed members: the country (a context country is
    not on any stored entity) and whether it is a generic, article-local actor."""
    return {
        "country": most_common(m.country for m in members),
        "generic": bool(members) and all(is_agent(m) and m.scope is not None for m in members),
    }
