"""Analysts' corrections: stored apart from codings, keyed by stable ids, applied when read.

A correction never edits a coding row. Codings are replaced by ``recode`` and re-ingest, so a
correction is keyed by what survives them: an event by its article id (the content hash) and
the offsets of its trigger and evidence; an actor by its actor key (see :mod:`.keys`). Reading
applies every correction on top of the codings through an :class:`Overlay`, and each shown value
says it was corrected, by whom, when and why.

The table, ``desk_corrections`` (:class:`eventwire.store.schema.CorrectionRow`), is part of the
store's schema and created by its migrations; ``recode`` and re-ingest never touch it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eventwire.record import EVENT_TYPES
from eventwire.store.schema import CorrectionRow

EVENT_FIELDS = ("type", "source", "target", "date")
KINDS = ("event", "merge", "split")


class CorrectionError(ValueError):
    """A correction request that cannot be applied (bad field, category or date)."""


def event_key(article_id: str, trigger_start: int, trigger_end: int, evidence_start: int) -> str:
    """The stable key of an event: its article's content hash and the offsets of its words."""
    return f"{article_id}:{trigger_start}-{trigger_end}:{evidence_start}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _clean_names(value: Any, field_name: str) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.split(";")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise CorrectionError(f"{field_name} must be a list of actor names")
    names = [v.strip() for v in value if v.strip()]
    if any(len(n) > 200 for n in names):
        raise CorrectionError(f"{field_name}: an actor name is longer than 200 characters")
    return names


def validate_event_change(changes: dict[str, Any]) -> dict[str, Any]:
    """The checked subset of an event correction: category, source/target actors, date."""
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise CorrectionError(
            f"cannot correct {', '.join(sorted(unknown))}; fields: type, source, target, date"
        )
    clean: dict[str, Any] = {}
    if changes.get("type") is not None:
        if changes["type"] not in EVENT_TYPES:
            raise CorrectionError(f"unknown PLOVER category {str(changes['type'])[:40]!r}")
        clean["type"] = changes["type"]
    for side in ("source", "target"):
        if changes.get(side) is not None:
            clean[side] = _clean_names(changes[side], side)
    if changes.get("date"):
        clean["date"] = _valid_date(str(changes["date"]))
    if not clean:
        raise CorrectionError("nothing to correct: give type, source, target or date")
    return clean


def _valid_date(value: str) -> str:
    try:
        date.fromisoformat(value)
    except ValueError:
        raise CorrectionError(f"{value[:40]!r} is not an ISO date (YYYY-MM-DD)") from None
    return value


def add_correction(
    session: Session, *, kind: str, target: str, value: dict[str, Any], author: str, reason: str
) -> CorrectionRow:
    """Store one correction in the caller's transaction."""
    if kind not in KINDS:
        raise CorrectionError(f"unknown correction kind {kind!r}")
    row = CorrectionRow(
        kind=kind, target=target, value=value, author=author[:200], reason=reason, created_at=_now()
    )
    session.add(row)
    session.flush()
    return row


def correction_dict(row: CorrectionRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "kind": row.kind,
        "target": row.target,
        "value": row.value,
        "author": row.author,
        "reason": row.reason,
        "created_at": row.created_at,
    }


def list_corrections(session: Session) -> list[dict[str, Any]]:
    rows = session.scalars(select(CorrectionRow).order_by(CorrectionRow.id))
    return [correction_dict(row) for row in rows]


@dataclass(slots=True)
class Overlay:
    """Every correction, indexed for applying them while reading."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    event_notes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.notes

    def actor(self, key: str, article_id: str | None = None) -> str:
        """The corrected actor key: splits first (per article), then merges (followed to the end)."""
        if article_id is not None:
            key = self.splits.get((key, article_id), key)
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        return key

    def merged_into(self, key: str) -> list[str]:
        """Every key that reads as ``key`` after merges (itself included)."""
        return [k for k in {key, *self.merges} if self.actor(k) == key]

    def add(self, row: dict[str, Any]) -> None:
        self.notes.append(row)
        if row["kind"] == "event":
            self.events.setdefault(row["target"], {}).update(row["value"])
            self.event_notes.setdefault(row["target"], []).append(row)
        elif row["kind"] == "merge":
            self.merges[row["target"]] = row["value"]["into"]
            self.names.setdefault(row["value"]["into"], row["value"].get("into_name", ""))
        elif row["kind"] == "split":
            new_key = f"c:{row['id']}"
            self.names[new_key] = row["value"]["name"]
            for article_id in row["value"]["articles"]:
                self.splits[row["target"], article_id] = new_key


def fingerprint(session: Session) -> tuple[int, int]:
    """Changes whenever a correction is added: (count, highest id)."""
    count, top = session.execute(
        select(func.count(CorrectionRow.id), func.max(CorrectionRow.id))
    ).one()
    return int(count or 0), int(top or 0)


def anchor_of(session: Session, key: str) -> dict[str, str] | None:
    """One entity (article id and name) of actor ``key``: it finds the actor again later.

    Resolution rebuilds corpus actors, and their ids, from scratch; an entity of a stored
    article keeps its name and article, so the actor it belongs to can be looked up afresh.
    """
    from eventwire.query.keys import key_where
    from eventwire.store.schema import EntityRow

    where = key_where(key)
    if where is None:
        return None
    found = session.execute(
        select(EntityRow.article_id, EntityRow.name).where(where).order_by(EntityRow.pk).limit(1)
    ).first()
    return {"article_id": found[0], "name": found[1]} if found else None


def current_key(session: Session, key: str, anchor: dict[str, str] | None) -> str:
    """The key actor ``key`` has now, found through its anchor entity (for ``a<id>`` keys)."""
    from eventwire.query.keys import key_expr
    from eventwire.store.schema import EntityRow

    if not anchor or not key.startswith("a"):
        return key
    found = session.scalar(
        select(key_expr())
        .where(EntityRow.article_id == anchor["article_id"], EntityRow.name == anchor["name"])
        .limit(1)
    )
    return found or key


def _rekeyed(session: Session, row: dict[str, Any]) -> dict[str, Any]:
    """A stored correction with its actor keys brought up to date (after a re-resolution)."""
    value = dict(row["value"])
    target = row["target"]
    if row["kind"] in ("merge", "split"):
        target = current_key(session, target, value.get("actor_anchor"))
    if row["kind"] == "merge":
        value["into"] = current_key(session, value["into"], value.get("into_anchor"))
    for side in ("source", "target"):
        if row["kind"] == "event" and side in value:
            value[side] = [
                {**ref, "key": current_key(session, ref["key"], ref.get("anchor"))}
                for ref in value[side]
            ]
    return {**row, "target": target, "value": value}


def load_overlay(session: Session) -> Overlay:
    overlay = Overlay()
    for row in list_corrections(session):
        overlay.add(_rekeyed(session, row))
    return overlay
