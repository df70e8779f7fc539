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
KINDS = ("event", "merge", "split", "undo")


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
    """Every correction, oldest first, with who, when and why; an undone one names the undo
    that took it back (``undone_by``), which is listed too."""
    rows = [
        correction_dict(row)
        for row in session.scalars(select(CorrectionRow).order_by(CorrectionRow.id))
    ]
    undone = _undone(rows)
    return [row | {"undone_by": undone.get(row["id"])} for row in rows]


def _undone(rows: list[dict[str, Any]]) -> dict[int, int]:
    """Undone correction id -> the id of the undo that took it back."""
    return {
        int(row["target"]): row["id"]
        for row in rows
        if row["kind"] == "undo" and str(row["target"]).isdigit()
    }


def check_undo(session: Session, correction_id: int) -> None:
    """An undo must name a correction that exists, is not an undo and is not undone yet."""
    row = session.get(CorrectionRow, correction_id)
    if row is None or row.kind == "undo":
        raise CorrectionError(f"no correction #{correction_id} to undo")
    taken_back = session.scalar(
        select(CorrectionRow.id).where(
            CorrectionRow.kind == "undo", CorrectionRow.target == str(correction_id)
        )
    )
    if taken_back is not None:
        raise CorrectionError(f"correction #{correction_id} was undone by #{taken_back}")


def actor_exists(session: Session, key: str, overlay: Overlay) -> bool:
    """Whether ``key`` names an actor the store (or a split correction) has."""
    from eventwire.query.keys import key_where
    from eventwire.store.schema import EntityRow

    if key.startswith("c:"):
        return key in overlay.names
    where = key_where(key)
    return (
        where is not None and session.scalar(select(EntityRow.pk).where(where).limit(1)) is not None
    )


def check_merge(session: Session, overlay: Overlay, actor: str, into: str) -> None:
    """A merge joins two different actors the store has, and never closes a loop."""
    for key in (actor, into):
        if not actor_exists(session, key, overlay):
            raise CorrectionError(f"no actor {key[:60]!r} in the store")
    if overlay.actor(actor) == overlay.actor(into):
        raise CorrectionError("these actors already read as one")


def check_split(session: Session, overlay: Overlay, actor: str, articles: list[str]) -> None:
    """A split moves an actor's mentions in articles that mention it, and only those."""
    from eventwire.query.keys import key_where
    from eventwire.store.schema import EntityRow

    where = key_where(actor)
    if where is None or not actor_exists(session, actor, overlay):
        raise CorrectionError(f"no actor {actor[:60]!r} in the store")
    found = set(
        session.scalars(
            select(EntityRow.article_id).where(where, EntityRow.article_id.in_(articles))
        )
    )
    missing = [a for a in dict.fromkeys(articles) if a not in found]
    if missing:
        shown = ", ".join(m[:20] for m in missing[:3])
        more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
        raise CorrectionError(f"these articles do not mention {actor[:60]!r}: {shown}{more}")


@dataclass(slots=True)
class Overlay:
    """Every correction, indexed for applying them while reading."""

    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    event_notes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    merges: dict[str, str] = field(default_factory=dict)
    splits: dict[tuple[str, str], str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    notes: list[dict[str, Any]] = field(default_factory=list)
    #: Ids of stored corrections that could not be applied (left out, never an error).
    broken: list[int] = field(default_factory=list)

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
        """Index one correction (the caller leaves out undone ones); ValueError, and nothing
        indexed, for one whose stored value does not have the shape its kind needs."""
        value, target = row["value"], row["target"]
        if not isinstance(value, dict) or not isinstance(target, str):
            raise ValueError(f"correction #{row['id']} is malformed")
        if row["kind"] == "event":
            self.events.setdefault(target, {}).update(value)
            self.event_notes.setdefault(target, []).append(row)
        elif row["kind"] == "merge":
            into = value.get("into")
            if not isinstance(into, str) or not into:
                raise ValueError(f"merge #{row['id']} names no actor to merge into")
            self.merges[target] = into
            self.names.setdefault(into, value.get("into_name") or "")
        elif row["kind"] == "split":
            name, articles = value.get("name"), value.get("articles")
            if not isinstance(name, str) or not isinstance(articles, list):
                raise ValueError(f"split #{row['id']} names no new actor or no articles")
            new_key = f"c:{row['id']}"
            self.names[new_key] = name
            for article_id in articles:
                self.splits[target, str(article_id)] = new_key
        self.notes.append(row)


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
    """Every correction in force (undone ones and undos left out), indexed for reading.

    A stored correction that cannot be applied (hand-edited, or written before corrections
    were checked) is left out and listed in ``broken``: it never makes a page fail.
    """
    overlay = Overlay()
    rows = list_corrections(session)
    undone = _undone(rows)
    for row in rows:
        if row["kind"] == "undo" or row["id"] in undone:
            continue
        try:
            overlay.add(_rekeyed(session, row))
        except (KeyError, TypeError, ValueError, AttributeError):
            overlay.broken.append(row["id"])
    return overlay
