"""Time expressions, normalised against the publication date.

(Work in progress: the record type and helpers below are the stable interface.)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.tokens import Doc


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """One time expression in the text, with its value resolved against the publication date.

    ``value`` is ISO ("2023-10-25", "2023-10", "2023", or a range "2023-10-07/2023-10-25") or
    None when it cannot be resolved (or is not a point in time: durations and sets).
    ``granularity`` is "day", "month", "year", "range" or None (durations, sets, unresolved).
    ``timex`` is a TimeML TIMEX3-style value for evaluation ("2013-W12", "PRESENT_REF", "P3D").
    """

    start: int
    end: int
    text: str
    value: str | None
    granularity: str | None
    basis: str  # "explicit" | "relative"
    timex: str | None = None


def times_in(doc: Doc, start_char: int, end_char: int) -> list[TimeExpression]:
    """The time expressions of ``doc`` that lie within [start_char, end_char)."""
    times = doc._.ew_times or []
    return [t for t in times if t.start >= start_char and t.end <= end_char]


def resolve(
    text: str, published: date | None, *, tense: str | None = None
) -> TimeExpression | None:
    """Normalise one time expression without a Doc (offsets are into ``text``)."""
    return None


class TimeStage:
    def __call__(self, doc: Doc) -> Doc:
        doc._.ew_times = []
        return doc


@Language.factory("eventwire_times")
def make_time(nlp: Language, name: str) -> TimeStage:
    return TimeStage()
