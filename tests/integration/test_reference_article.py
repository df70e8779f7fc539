"""What a careful analyst reads in the reference article (issue: "Read one news article").

The article is read from ../shared (never copied into the repo) without --published, exactly as a
user would run `eventwire extract` on it. The assertions are the analyst's reading, checked
against the record; the code under test has no knowledge of this article.
"""

from __future__ import annotations

import pytest

import eventwire
from eventwire.record import ArticleRecord, Entity, Event

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def record(seed_text: str, nlp) -> ArticleRecord:  # noqa: ANN001
    return eventwire.read(seed_text, nlp=nlp)


def person(record: ArticleRecord, surname: str) -> Entity:
    found = [e for e in record.entities if e.type == "PERSON" and surname in e.name]
    assert len(found) == 1, f"expected one PERSON named like {surname}: {[e.name for e in found]}"
    return found[0]


def org_ids(record: ArticleRecord, name: str) -> set[str]:
    return {e.id for e in record.entities if name.lower() in e.name.lower()}


def role_of(record: ArticleRecord, entity: Entity) -> list[tuple[str, str]]:
    names = {e.id: e.name for e in record.entities}
    return [(role.title, names.get(role.of or "", "")) for role in entity.roles]


def events(record: ArticleRecord, kind: str) -> list[Event]:
    return [event for event in record.events if event.type == kind]


def actor_ids(event: Event) -> set[str]:
    return set(event.actors.source) | set(event.actors.target)


def test_publication_date_inferred(record: ArticleRecord) -> None:
    assert record.article.published == "2023-10-25"
    assert record.article.published_basis == "inferred"


def test_boilerplate_and_repeated_captions_removed(record: ArticleRecord) -> None:
    text = record.article.text
    assert "Subscribe to" not in text and "Stay updated" not in text
    assert "photo credit" not in text.lower()
    assert text.count("in this handout image released on") <= 1
    reasons = {r.reason for r in record.article.removed}
    assert any("caption" in r for r in reasons)
    assert any("newsletter" in r for r in reasons)


def test_three_leaders_each_one_person_with_roles(record: ArticleRecord) -> None:
    nasrallah = person(record, "Nasrallah")
    nakhalah = person(record, "Nakhalah")
    arouri = person(record, "Arouri")
    assert ("leader", "Hezbollah") in role_of(record, nasrallah)
    assert any(
        title in ("secretary general", "leader") and "Islamic Jihad" in of
        for title, of in role_of(record, nakhalah)
    )
    assert any(title == "deputy leader" and of == "Hamas" for title, of in role_of(record, arouri))
    assert any(alias.strip() in ("Arouri", "Al-Arouri", "al-Arouri") for alias in arouri.aliases)


def test_consult_today_between_host_and_visitors(record: ArticleRecord) -> None:
    host = person(record, "Nasrallah").id
    visitors = {person(record, "Nakhalah").id, person(record, "Arouri").id}
    meetings = [
        e
        for e in events(record, "CONSULT")
        if e.date
        and e.date.value == "2023-10-25"
        and host in actor_ids(e)
        and visitors <= actor_ids(e)
    ]
    assert meetings, [(e.trigger.text, e.date, e.actors) for e in events(record, "CONSULT")]


def test_agreement_to_continue_coordination(record: ArticleRecord) -> None:
    agreements = [e for e in events(record, "AGREE") if "coordination" in e.evidence.text]
    assert agreements


def test_october_7_attack_and_october_8_fire(record: ArticleRecord) -> None:
    hamas, hezbollah, israel = (
        org_ids(record, "Hamas"),
        org_ids(record, "Hezbollah"),
        org_ids(record, "Israel"),
    )
    assaults = events(record, "ASSAULT")
    assert any(
        e.date
        and e.date.value == "2023-10-07"
        and hamas & set(e.actors.source)
        and israel & set(e.actors.target)
        for e in assaults
    )
    first_fire = [
        e
        for e in assaults
        if hezbollah & set(e.actors.source) and e.date and e.date.value == "2023-10-08"
    ]
    assert first_fire
    assert not any(
        e.date and e.date.value == "2023-10-25" and "October 8" in e.evidence.text for e in assaults
    )


def test_earlier_meetings_dated(record: ArticleRecord) -> None:
    dates = {e.date.value for e in events(record, "CONSULT") if e.date}
    assert "2023-09" in dates
    assert "2023-04" in dates


def test_quotes_attributed_to_hezbollah_and_al_mayadeen(record: ArticleRecord) -> None:
    speakers = {q.speaker for q in record.quotes}
    assert org_ids(record, "Hezbollah") & speakers
    assert org_ids(record, "Mayadeen") & speakers
