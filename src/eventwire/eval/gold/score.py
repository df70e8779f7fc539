"""Score codings of real articles against the gold corpus, as an analyst would judge them.

Matching (the same for eventwire, the baseline and a second annotator):
- a predicted event *meets* a gold event when its evidence sentence, mapped onto the reference
  text (:mod:`eventwire.eval.gold.align`), overlaps one of the gold event's evidence spans;
- **strict**: it meets it, the PLOVER type is the same, and source and target are both right
  (a side is right when both are empty, or when a predicted actor is the gold actor);
- **lenient**: it meets it, the type is the same, and at least one actor is right (a gold event
  with no actors at all needs only the type);
- matching is one to one (a maximum bipartite matching per article), so a second coding of the
  same occurrence counts as a false positive, and one coding cannot match two gold events.
Date, modality, attribution and location accuracy are read on the lenient matches.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from eventwire.eval.gold.align import Alignment, Span, overlaps
from eventwire.eval.gold.corpus import GoldArticle, GoldEntity, GoldEvent
from eventwire.record import ArticleRecord, Entity

#: Types whose parties are symmetric: PLOVER puts every party of a meeting in the actor list.
SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})
PLACE_TYPES = frozenset({"GPE", "NORP"})


@dataclass(frozen=True, slots=True)
class PredEntity:
    name: str
    type: str
    mentions: tuple[Span, ...] = ()
    aliases: tuple[str, ...] = ()
    country: str | None = None
    roles: tuple[tuple[str, str | None], ...] = ()  # (title, name of the organisation)


@dataclass(frozen=True, slots=True)
class PredEvent:
    type: str
    evidence: Span  # the sentence eventwire gives; more sentences only from a second annotator
    source: tuple[PredEntity, ...] = ()
    target: tuple[PredEntity, ...] = ()
    date: str | None = None
    modality: str = "asserted"
    attributed_to: PredEntity | None = None
    location: str | None = None
    more_evidence: tuple[Span, ...] = ()
    trigger: Span | None = None


@dataclass(frozen=True, slots=True)
class PredQuote:
    span: Span
    speaker: PredEntity | None


@dataclass(slots=True)
class PredArticle:
    """What a coder said of one article, in terms the scorer compares (offsets in ``text``)."""

    text: str
    events: list[PredEvent] = field(default_factory=list)
    entities: list[PredEntity] = field(default_factory=list)
    quotes: list[PredQuote] = field(default_factory=list)
    published: str | None = None


def _pred_entity(entity: Entity, names: dict[str, str]) -> PredEntity:
    return PredEntity(
        name=entity.name,
        type=entity.type,
        mentions=tuple((m.start, m.end) for m in entity.mentions),
        aliases=tuple(entity.aliases),
        country=entity.country,
        roles=tuple((r.title, names.get(r.of or "")) for r in entity.roles),
    )


def from_record(record: ArticleRecord) -> PredArticle:
    """eventwire's record as a PredArticle."""
    names = {e.id: e.name for e in record.entities}
    by_id = {e.id: _pred_entity(e, names) for e in record.entities}
    events = []
    for event in record.events:
        location = event.location.name if event.location else None
        events.append(
            PredEvent(
                type=event.type,
                evidence=(event.evidence.start, event.evidence.end),
                source=tuple(by_id[i] for i in event.actors.source if i in by_id),
                target=tuple(by_id[i] for i in event.actors.target if i in by_id),
                date=event.date.value if event.date and event.date.basis != "publication" else None,
                modality=event.modality,
                attributed_to=by_id.get(event.attributed_to or ""),
                location=location,
                more_evidence=tuple((m.start, m.end) for m in event.mentions),
                trigger=(event.trigger.start, event.trigger.end),
            )
        )
    quotes = [PredQuote((q.start, q.end), by_id.get(q.speaker or "")) for q in record.quotes]
    published = record.article.published[:10] if record.article.published else None
    return PredArticle(record.article.text, events, list(by_id.values()), quotes, published)


_NON_WORD = re.compile(r"[^\w\s]")


def norm(name: str) -> str:
    """Lower case, no possessive, no leading article, no punctuation."""
    name = re.sub(r"['’]s\b", "", name.lower())
    name = _NON_WORD.sub(" ", name)
    name = re.sub(r"^(the|a|an)\s+", "", " ".join(name.split()))
    return name


class ArticleScorer:
    """Compares one coder's reading of an article with the gold, on the reference text."""

    def __init__(self, gold: GoldArticle, reference: str, pred: PredArticle) -> None:
        self.gold = gold
        self.reference = reference
        self.pred = pred
        self.align = Alignment(pred.text, reference)
        self._gold_names = {e.id: self._names_of_gold(e) for e in gold.entities}

    def _names_of_gold(self, entity: GoldEntity) -> set[str]:
        names = {norm(entity.name)}
        names.update(norm(self.reference[s:e]) for s, e in entity.mentions)
        return {n for n in names if n}

    def mapped(self, span: Span) -> Span | None:
        return self.align.map_span(span)

    def same_actor(self, pred: PredEntity, gold: GoldEntity | None) -> bool:
        """Whether a predicted actor is the gold entity (by name, position or state)."""
        if gold is None:
            return False
        names = self._gold_names[gold.id]
        mine = {norm(pred.name), *(norm(a) for a in pred.aliases)}
        mine.update(norm(self.pred.text[s:e]) for s, e in pred.mentions)
        if names & mine:
            return True
        for span in pred.mentions:
            ref = self.mapped(span)
            if ref and any(overlaps(ref, g) for g in gold.mentions):
                return True
        if gold.country and gold.type in PLACE_TYPES and not gold.generic:
            return pred.type in PLACE_TYPES and pred.country == gold.country
        if gold.type == "PERSON" and pred.type == "PERSON":
            last = {n.split()[-1] for n in names if n}
            return bool(last & {n.split()[-1] for n in mine if n})
        return False

    def _side(self, pred: Iterable[PredEntity], gold: Iterable[str]) -> bool:
        pred, gold_ents = list(pred), [self.gold.entity(g) for g in gold]
        if not pred and not gold_ents:
            return True
        return any(self.same_actor(p, g) for p in pred for g in gold_ents)

    def _hit(self, pred: Iterable[PredEntity], gold: Iterable[str]) -> bool:
        gold_ents = [self.gold.entity(g) for g in gold]
        return any(self.same_actor(p, g) for p in pred for g in gold_ents)

    def judge(self, pred: PredEvent, gold: GoldEvent) -> tuple[bool, bool]:
        """(strict, lenient) for a pair whose evidence meets."""
        if pred.type != gold.type:
            return False, False
        if gold.type in SYMMETRIC and (len(gold.source) + len(gold.target) >= 2):
            pool_p = pred.source + pred.target
            pool_g = gold.source + gold.target
            matched = [g for g in pool_g if self._hit(pool_p, [g])]
            strict = len(matched) == len(pool_g) and all(self._hit([p], pool_g) for p in pool_p)
            return strict, bool(matched)
        src = self._side(pred.source, gold.source)
        tgt = self._side(pred.target, gold.target)
        if not gold.source and not gold.target:
            return src and tgt, True
        lenient = self._hit(pred.source, gold.source) or self._hit(pred.target, gold.target)
        return src and tgt, lenient

    def meets(self, pred: PredEvent, gold: GoldEvent) -> bool:
        for span in (pred.evidence, *pred.more_evidence):
            ref = self.mapped(span)
            if ref is not None and any(overlaps(ref, g) for g in gold.evidence):
                return True
        return False


def one_to_one(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """A maximum matching of (predicted index, gold index) pairs, the same whatever the
    interpreter's hash seed: augmenting paths (Kuhn's algorithm) tried in index order, so that
    among equally large matchings the one pairing earlier events first is chosen (a library
    matching over hashed nodes picked a different one per run, and with it the figures of the
    matched events' attributes)."""
    options: dict[int, list[int]] = {}
    for p, g in sorted(set(pairs)):
        options.setdefault(p, []).append(g)
    owner: dict[int, int] = {}  # gold index -> predicted index

    def augment(p: int, seen: set[int]) -> bool:
        for g in options[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in owner or augment(owner[g], seen):
                owner[g] = p
                return True
        return False

    for p in options:
        augment(p, set())
    return sorted((p, g) for g, p in owner.items())


@dataclass(slots=True)
class Tally:
    """Counts summed over articles; every figure of the suite is a ratio of two of them."""

    counts: Counter[str] = field(default_factory=Counter)
    per_type: dict[str, Counter[str]] = field(default_factory=dict)
    errors: list[dict[str, object]] = field(default_factory=list)

    def add(self, name: str, value: int = 1) -> None:
        self.counts[name] += value

    def ratio(self, num: str, den: str) -> float | None:
        return self.counts[num] / self.counts[den] if self.counts[den] else None

    def typed(self, kind: str, name: str) -> None:
        self.per_type.setdefault(kind, Counter())[name] += 1


def matches(
    scorer: ArticleScorer,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[tuple[int, int]]]:
    """(pairs whose evidence meets, strict one-to-one matches, lenient one-to-one matches)."""
    pred, gold = scorer.pred.events, scorer.gold.events
    meets = [(i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if scorer.meets(p, g)]
    judged = {(i, j): scorer.judge(pred[i], gold[j]) for i, j in meets}
    strict = one_to_one(pair for pair, (s, _) in judged.items() if s)
    lenient = one_to_one(pair for pair, (_, le) in judged.items() if le)
    return meets, strict, lenient


def lenient_labels(gold: GoldArticle, reference: str, pred: PredArticle) -> list[bool]:
    """Per predicted event: whether it is one of the lenient matches (a training label)."""
    _, _, lenient = matches(ArticleScorer(gold, reference, pred))
    matched = {i for i, _ in lenient}
    return [i in matched for i in range(len(pred.events))]


def trigger_labels(gold: GoldArticle, reference: str, pred: PredArticle) -> list[str | None]:
    """Per predicted event: the category of the gold event whose trigger it names, or None."""
    align = Alignment(pred.text, reference)
    labels: list[str | None] = []
    for event in pred.events:
        mapped = align.map_span(event.trigger) if event.trigger else None
        found = None
        if mapped is not None:
            found = next((g.type for g in gold.events if overlaps(mapped, g.trigger)), None)
        labels.append(found)
    return labels


def _date_right(pred: str | None, gold: str) -> bool:
    return pred is not None and pred[: len(gold)] == gold


def score_article(
    gold: GoldArticle, reference: str, pred: PredArticle, tally: Tally, *, words: int
) -> None:
    """Add one article's counts to ``tally``."""
    scorer = ArticleScorer(gold, reference, pred)
    meets, strict, lenient = matches(scorer)
    in_event = {i for i, _ in meets}
    tally.add("pred", len(pred.events))
    tally.add("gold", len(gold.events))
    tally.add("strict", len(strict))
    tally.add("lenient", len(lenient))
    tally.add("pred_no_event_sentence", len(pred.events) - len(in_event))
    tally.add("pred_dated", sum(p.date is not None for p in pred.events))
    tally.add("gold_dated", sum(g.date is not None for g in gold.events))
    tally.add("words", words)
    _matched_attributes(scorer, lenient, tally)
    _per_type(pred.events, gold.events, lenient, tally)
    _entities(scorer, tally)
    _quotes(scorer, tally)
    if gold.published:
        tally.add("published_gold")
        tally.add("published_right", pred.published == gold.published)
    _errors(scorer, lenient, tally)


def _matched_attributes(scorer: ArticleScorer, pairs: list[tuple[int, int]], tally: Tally) -> None:
    for i, j in pairs:
        p, g = scorer.pred.events[i], scorer.gold.events[j]
        if g.date is not None:
            tally.add("date_gold")
            tally.add("date_right", _date_right(p.date, g.date))
        tally.add("modality_right", p.modality == g.modality)
        gold_by = scorer.gold.entity(g.attributed_to)
        if p.attributed_to is None or gold_by is None:
            right = p.attributed_to is None and gold_by is None
        else:
            right = scorer.same_actor(p.attributed_to, gold_by)
        tally.add("attribution_right", right)
        place = scorer.gold.entity(g.location)
        if place is not None:
            tally.add("location_gold")
            names = scorer._gold_names[place.id]
            tally.add("location_right", p.location is not None and norm(p.location) in names)


def _per_type(
    pred: list[PredEvent], gold: list[GoldEvent], pairs: list[tuple[int, int]], tally: Tally
) -> None:
    for p in pred:
        tally.typed(p.type, "pred")
    for g in gold:
        tally.typed(g.type, "gold")
    for i, _ in pairs:
        tally.typed(pred[i].type, "lenient")


def _gold_of(scorer: ArticleScorer, entity: PredEntity) -> GoldEntity | None:
    for span in entity.mentions:
        ref = scorer.mapped(span)
        if ref is None:
            continue
        for gold in scorer.gold.entities:
            if any(overlaps(ref, g) for g in gold.mentions):
                return gold
    return None


def _entities(scorer: ArticleScorer, tally: Tally) -> None:
    """Actor entity types, and role recall of the gold's named persons."""
    actors = {id(a): a for p in scorer.pred.events for a in (*p.source, *p.target)}
    for actor in actors.values():
        gold = _gold_of(scorer, actor)
        tally.add("actors")
        tally.add("actor_type_right", gold is not None and gold.type == actor.type)
    for gold in scorer.gold.entities:
        for title, of in gold.roles:
            tally.add("roles_gold")
            tally.add("roles_right", _role_found(scorer, gold, title, of))


def _role_found(scorer: ArticleScorer, gold: GoldEntity, title: str, of: str | None) -> bool:
    words = set(norm(title).split())
    org = scorer.gold.entity(of)
    for pred in scorer.pred.entities:
        if not scorer.same_actor(pred, gold):
            continue
        for pred_title, pred_of in pred.roles:
            pred_words = set(norm(pred_title).split())
            if not (words <= pred_words or pred_words <= words) or not pred_words:
                continue
            if org is None or (pred_of and norm(pred_of) in scorer._gold_names[org.id]):
                return True
    return False


def _quotes(scorer: ArticleScorer, tally: Tally) -> None:
    for quote in scorer.gold.quotes:
        tally.add("quotes_gold")
        found = [
            q
            for q in scorer.pred.quotes
            if (ref := scorer.mapped(q.span)) is not None and overlaps(ref, quote.span)
        ]
        if not found:
            continue
        tally.add("quotes_found")
        speaker = scorer.gold.entity(quote.speaker)
        pred = found[0].speaker
        right = (speaker is None and pred is None) or (
            pred is not None and scorer.same_actor(pred, speaker)
        )
        tally.add("quote_speaker_right", right)


def _errors(scorer: ArticleScorer, pairs: list[tuple[int, int]], tally: Tally) -> None:
    """False positives and misses, with their sentences (for ``--errors``)."""
    matched_p = {i for i, _ in pairs}
    matched_g = {j for _, j in pairs}
    key = scorer.gold.key
    for i, p in enumerate(scorer.pred.events):
        if i not in matched_p:
            sentence = scorer.pred.text[p.evidence[0] : p.evidence[1]]
            actors = f"{[a.name for a in p.source]} -> {[a.name for a in p.target]}"
            tally.errors.append(
                {
                    "article": key,
                    "kind": "false positive",
                    "type": p.type,
                    "actors": actors,
                    "sentence": sentence,
                }
            )
    for j, g in enumerate(scorer.gold.events):
        if j not in matched_g:
            start, end = g.evidence[0]
            names = scorer.gold.by_id
            actors = f"{[names[x].name for x in g.source]} -> {[names[x].name for x in g.target]}"
            tally.errors.append(
                {
                    "article": key,
                    "kind": "miss",
                    "type": g.type,
                    "actors": actors,
                    "sentence": scorer.reference[start:end],
                }
            )


def from_gold(gold: GoldArticle, reference: str) -> PredArticle:
    """A second annotator's gold as a PredArticle, for agreement figures."""
    names = {e.id: e.name for e in gold.entities}
    by_id = {
        e.id: PredEntity(
            name=e.name,
            type=e.type,
            mentions=e.mentions,
            country=e.country,
            roles=tuple((title, names.get(of or "")) for title, of in e.roles),
        )
        for e in gold.entities
    }
    events = [
        PredEvent(
            type=g.type,
            evidence=g.evidence[0],
            more_evidence=g.evidence[1:],
            source=tuple(by_id[i] for i in g.source),
            target=tuple(by_id[i] for i in g.target),
            date=g.date,
            modality=g.modality,
            attributed_to=by_id.get(g.attributed_to or ""),
            location=names.get(g.location or ""),
        )
        for g in gold.events
    ]
    quotes = [PredQuote(q.span, by_id.get(q.speaker or "")) for q in gold.quotes]
    return PredArticle(reference, events, list(by_id.values()), quotes, gold.published)
