"""Stories group reports of one occurrence only (issue 16, finding 1): compatible dates within
the category's window; an undated report joins a story only through its article's context and
never bridges two dated stories; the same kind of event in another year is another story."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

from test_store_helpers import make_record

from eventwire.resolve import resolve_store
from eventwire.resolve.stories import StoryItem, group_items, interval
from eventwire.store.db import open_store
from eventwire.store.maintain import widest_story
from eventwire.store.stamp import Stamp
from eventwire.store.write import Result, write_batch


def item(
    key: int,
    when: str | None,
    granularity: str = "day",
    *,
    article: str | None = None,
    published: date | None = None,
    category: str = "ASSAULT",
) -> StoryItem:
    start, end = interval(when, granularity)
    return StoryItem(key, category, frozenset({"army", "rebels"}), start, end, "aleppo", "SYR",
                     article=article or f"a{key}", published=published, order=f"a{key}")  # fmt: skip


def stories(items: list[StoryItem]) -> set[frozenset[int]]:
    return {frozenset(group) for group in group_items(items)}


def test_same_kind_of_event_in_other_years_is_another_story() -> None:
    items = [
        item(1, "1987-03-05"),
        item(2, None, published=date(1987, 3, 6)),
        item(3, "2016-03-05"),
        item(4, None, published=date(2016, 3, 7)),
        item(5, "1987", "year"),
    ]
    assert stories(items) == {frozenset({1, 2, 5}), frozenset({3, 4})}


def test_an_undated_report_never_bridges_two_dated_stories() -> None:
    items = [item(1, "2024-03-01"), item(2, "2024-03-20"), item(3, None)]  # no context at all
    assert stories(items) == {frozenset({1}), frozenset({2}), frozenset({3})}
    # its article's context overlaps both: it joins one of them only
    close = [
        item(1, "2024-03-05"),
        item(2, "2024-03-08"),
        item(3, None, published=date(2024, 3, 9)),
    ]
    assert stories(close) in (
        {frozenset({1}), frozenset({2, 3})},
        {frozenset({1, 3}), frozenset({2})},
    )


def test_an_undated_report_joins_through_its_own_article() -> None:
    items = [item(1, "2024-03-01", article="x"), item(2, None, article="x"), item(3, None)]
    assert stories(items) == {frozenset({1, 2}), frozenset({3})}


def test_a_story_never_spreads_past_the_category_window() -> None:
    month = [item(1, "2024-03-01"), item(2, "2024-03-30"), item(3, "2024-03", "month")]
    assert stories(month) == {frozenset({1, 3}), frozenset({2})}
    ranges = [item(k, f"2024-03-{d:02d}/2024-03-{d + 3:02d}", "range") for k, d in
              enumerate((1, 4, 7, 10, 13), start=1)]  # fmt: skip
    spreads = []
    for group in group_items(ranges):
        members = [r for r in ranges if r.key in group]
        spreads.append((max(r.start for r in members) - min(r.end for r in members)).days)  # type: ignore[type-var, operator]
    assert max(spreads) <= 7 and len(spreads) > 1


def test_grouping_does_not_depend_on_the_order_or_keys_of_reports() -> None:
    base = [
        item(1, "2024-03-05"), item(2, "2024-03-05"), item(3, "2024-03", "month"),
        item(4, None, published=date(2024, 3, 6)), item(5, None, published=date(2024, 3, 12)),
        item(6, "2024-03-11"), item(7, "2024-03-11/2024-03-13", "range"), item(8, None),
    ]  # fmt: skip
    expected = {frozenset(it.order for it in base if it.key in g) for g in group_items(base)}
    rng = random.Random(3)
    for _ in range(20):
        shuffled = base[:]
        rng.shuffle(shuffled)
        keys = rng.sample(range(100, 200), len(shuffled))
        renamed = [StoryItem(k, i.category, i.actors, i.start, i.end, i.place, i.country,
                             article=i.article, published=i.published, order=i.order)
                   for k, i in zip(keys, shuffled, strict=True)]  # fmt: skip
        by_key = {i.key: i.order for i in renamed}
        assert {frozenset(by_key[k] for k in g) for g in group_items(renamed)} == expected


def test_a_store_of_yearly_events_keeps_one_story_per_year(tmp_path: Path) -> None:
    """The same attack reported every year (dated, or undated in a dated article): one story
    per year, and `check`'s widest story span stays within the window."""
    records = []
    for year in range(2010, 2016):
        for k, (when, published) in enumerate(
            ((f"{year}-05-04", f"{year}-05-05"), (None, f"{year}-05-06"), (None, None))
        ):
            text = f"John Smith attacked the Army in Aleppo, report {year}-{k}."
            records.append(make_record(text, date=when, published=published or ""))
    store = open_store(str(tmp_path / "s.db"))
    with store.session() as session, session.begin():
        write_batch(session, [Result(r.article.id, r.article.id, r) for r in records],
                    Stamp("0", "blank", {}), fts=True)  # fmt: skip
    resolve_store(store)
    span = widest_story(store)
    with store.session() as session:
        from sqlalchemy import text as sql

        per_story = session.execute(sql(
            "SELECT story_id, count(DISTINCT substr(date_value, 1, 4)) FROM events "
            "WHERE date_value IS NOT NULL GROUP BY story_id"
        )).all()  # fmt: skip
    store.close()
    assert len(per_story) == 6 and all(years == 1 for _, years in per_story)
    assert span is None or span.days <= 7
