"""The record contract: round trips, failed records, schema validity."""

from __future__ import annotations

import json

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from eventwire.record import (
    Article,
    ArticleRecord,
    Entity,
    Event,
    EventActors,
    EventDate,
    Location,
    Quantity,
    Quote,
    Relation,
    Removed,
    Role,
    TextSpan,
)
from eventwire.schema import record_schema, validate


def sample_record() -> ArticleRecord:
    span = TextSpan(0, 5, "Rebels")
    article = Article(
        id="abc",
        text="Rebels attacked Goma.",
        title="T",
        published="2024-03-05",
        published_basis="given",
        removed=[Removed("Subscribe", "newsletter prompt")],
    )
    rebels = Entity(
        id="e1",
        name="Rebels",
        type="ORG",
        aliases=["Rebels"],
        mentions=[span],
        roles=[Role(title="leader", of="e2", evidence=span)],
        country="COD",
    )
    goma = Entity(id="e2", name="Goma", type="GPE", mentions=[TextSpan(16, 20, "Goma")])
    event = Event(
        id="v1",
        type="ASSAULT",
        trigger=TextSpan(7, 15, "attacked"),
        evidence=span,
        actors=EventActors(source=["e1"], target=["e2"]),
        cameo="190",
        date=EventDate(value="2024-03-05", granularity="day", text=None, basis="publication"),
        location=Location(name="Goma", entity="e2", country="COD", lat=-1.68, lon=29.22),
        quantities=[Quantity(kind="killed", value=3, text="three", of="e2")],
        confidence=0.8,
    )
    return ArticleRecord(
        article=article,
        entities=[rebels, goma],
        events=[event],
        quotes=[Quote(speaker="e1", text="We won", start=0, end=6, cue="said")],
        relations=[Relation(subject="e1", predicate="based_in", object="e2", evidence=span)],
    )


def test_json_round_trip_is_lossless() -> None:
    record = sample_record()
    assert ArticleRecord.from_json(record.to_json()) == record


def test_record_validates_against_published_schema() -> None:
    validate(sample_record().to_dict())


def test_schema_rejects_unknown_event_type() -> None:
    data = sample_record().to_dict()
    data["events"][0]["type"] = "FIGHT"
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_schema_rejects_missing_field() -> None:
    data = sample_record().to_dict()
    del data["article"]["published_basis"]
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_failed_record_has_error_and_empty_lists() -> None:
    record = ArticleRecord.failed("a.txt: empty article")
    data = json.loads(record.to_json())
    assert data["error"] == "a.txt: empty article"
    assert data["entities"] == data["events"] == data["quotes"] == data["relations"] == []
    validate(data)


def test_error_key_absent_on_success() -> None:
    assert "error" not in sample_record().to_dict()


def test_entity_lookup() -> None:
    record = sample_record()
    assert record.entity("e2").name == "Goma"
    assert record.entity("e9") is None


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(record_schema())


@given(st.text(max_size=200), st.lists(st.text(max_size=20), max_size=5))
def test_round_trip_any_text(text: str, aliases: list[str]) -> None:
    article = Article(id="x", text=text)
    entity = Entity(id="e1", name=text[:10], type="PERSON", aliases=aliases)
    record = ArticleRecord(article=article, entities=[entity])
    assert ArticleRecord.from_json(record.to_json()) == record
    validate(record.to_dict())
