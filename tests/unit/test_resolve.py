"""Cross-article resolution: corpus actors and stories, on hand-made inputs (no model)."""

from __future__ import annotations

from datetime import date

from eventwire.resolve.actors import EntityInfo, actor_name, cluster_entities
from eventwire.resolve.stories import StoryItem, group_items, interval


def groups_of(items: list[EntityInfo]) -> set[frozenset[str]]:
    names = {i.key: i.name for i in items}
    return {frozenset(names[k] for k in group) for group in cluster_entities(items)}


def person(
    key: int, name: str, *aliases: str, country: str | None = None, kb: str | None = None
) -> EntityInfo:
    return EntityInfo(key, name, "PERSON", aliases, country, kb)


def test_honorifics_and_particles_do_not_split_a_person() -> None:
    items = [
        person(1, "Sheikh Omar al-Rashid"),
        person(2, "Omar Rashid"),
        person(3, "Dr. Omar al-Rashid"),
    ]
    assert groups_of(items) == {
        frozenset({"Sheikh Omar al-Rashid", "Omar Rashid", "Dr. Omar al-Rashid"})
    }


def test_shared_surname_different_first_names_never_merge() -> None:
    items = [person(1, "John Smith"), person(2, "Jane Smith"), person(3, "Smith")]
    groups = groups_of(items)
    assert frozenset({"John Smith"}) in groups and frozenset({"Jane Smith"}) in groups
    assert not any({"John Smith", "Jane Smith"} <= g for g in groups)


def test_lone_surname_joins_the_only_full_name() -> None:
    items = [person(1, "Maria Kowalska"), person(2, "Kowalska"), person(3, "Peter Brandt")]
    assert frozenset({"Maria Kowalska", "Kowalska"}) in groups_of(items)


def test_transliterated_surnames_meet_when_first_names_agree() -> None:
    items = [person(1, "Muammar Gaddafi"), person(2, "Muammar Qaddafi"), person(3, "Saif Gaddafi")]
    groups = groups_of(items)
    assert frozenset({"Muammar Gaddafi", "Muammar Qaddafi"}) in groups
    assert frozenset({"Saif Gaddafi"}) in groups


def test_kb_id_and_aliases_join_organisations_but_countries_keep_apart() -> None:
    items = [
        EntityInfo(1, "United Nations", "ORG", ("UN",), None, "org:un"),
        EntityInfo(2, "UN", "ORG", (), None, None),
        EntityInfo(3, "the United Nations", "ORG", (), None, None),
        EntityInfo(4, "Ministry of Health", "ORG", (), "GAZ", None),
        EntityInfo(5, "Ministry of Health", "ORG", (), "LBN", None),
    ]
    groups = groups_of(items)
    assert frozenset({"United Nations", "UN", "the United Nations"}) in groups
    assert len(cluster_entities(items)) == 3  # the two ministries stay two actors


def test_different_kb_ids_never_merge() -> None:
    items = [person(1, "Ali Hassan", kb="kb:1"), person(2, "Ali Hassan", kb="kb:2")]
    assert len(cluster_entities(items)) == 2


def test_actor_name_is_the_most_frequent() -> None:
    assert actor_name(["Omar Rashid", "Omar al-Rashid", "Omar al-Rashid"]) == "Omar al-Rashid"


def test_interval_keeps_granularity() -> None:
    assert interval("2023-10-07", "day") == (date(2023, 10, 7), date(2023, 10, 7))
    assert interval("2023-02", "month") == (date(2023, 2, 1), date(2023, 2, 28))
    assert interval("2014", "year") == (date(2014, 1, 1), date(2014, 12, 31))
    assert interval("2023-10-01/2023-10-05", "range") == (date(2023, 10, 1), date(2023, 10, 5))
    assert interval(None, None) == (None, None)


def item(
    key: int,
    actors: set[str],
    day: str | None,
    *,
    category: str = "ASSAULT",
    place: str | None = None,
    country: str | None = None,
    granularity: str = "day",
) -> StoryItem:
    start, end = interval(day, granularity)
    return StoryItem(key, category, frozenset(actors), start, end, place, country)


def test_reports_of_one_event_form_one_story() -> None:
    items = [
        item(1, {"rebels", "army"}, "2023-10-07"),
        item(2, {"army"}, "2023-10-07"),
        item(3, {"rebels"}, "2023-10", granularity="month"),
    ]
    assert sorted(map(sorted, group_items(items))) == [[1, 2, 3]]


def test_different_day_category_or_country_stay_apart() -> None:
    items = [
        item(1, {"army"}, "2023-10-07", country="SYR"),
        item(2, {"army"}, "2023-10-09", country="SYR"),
        item(3, {"army"}, "2023-10-07", category="CONSULT", country="SYR"),
        item(4, {"army"}, "2023-10-07", country="IRQ"),
    ]
    assert len(group_items(items)) == 4


def test_actorless_reports_join_by_place_only() -> None:
    items = [
        item(1, set(), "2023-10-07", place="aleppo"),
        item(2, {"army"}, "2023-10-07", place="aleppo"),
        item(3, set(), "2023-10-07", place="homs"),
    ]
    assert sorted(map(sorted, group_items(items))) == [[1, 2], [3]]


def test_generic_actors_merge_only_same_phrase_and_country() -> None:
    items = [
        EntityInfo(1, "police", "ORG", (), "KEN", "agent:COP"),
        EntityInfo(2, "police", "ORG", (), "KEN", "agent:COP"),
        EntityInfo(3, "police", "ORG", (), "MLI", "agent:COP"),
        EntityInfo(4, "officers", "OTHER", (), "KEN", "agent:COP"),
    ]
    groups = sorted(sorted(g) for g in cluster_entities(items))
    assert [1, 2] in groups
    assert [3] in groups and [4] in groups
