"""Time expressions, normalised against the publication date.

Event time is not publication time: a report published on Wednesday 2023-10-25 that says
"on Wednesday", "October 7", "in late August", "in 2014" or "over the last weeks" speaks of
2023-10-25, 2023-10-07, 2023-08, 2014 and a range ending at publication. This stage finds such
expressions with its own patterns (spaCy's small model misses or mis-spans many of them: bare
weekdays, "late August", "the last weeks") plus the model's DATE/TIME entities, and resolves each
against ``doc._.ew_meta.published`` with rules that keep the granularity; dateparser handles the
formats the rules do not know (numeric dates, odd spellings).

Conventions (documented because they are choices, not facts of the text):

* Never the machine's clock. Without a publication date a relative expression ("Wednesday",
  "last week", "October 7" without a year) gets ``value=None``; absolute ones still resolve.
* Past reference is the default in news: a bare weekday is the most recent such day on or before
  publication (the publication weekday itself is that day); a month or day without a year is the
  most recent one on or before publication. In a future sentence ("will meet on Monday") the next
  one on or after publication is meant instead.
* "early/mid/late August" keeps month granularity (``2023-08``); the part is not a day range,
  because the text does not say which days. Same for "earlier this month", "late last year".
* "last week" is the previous ISO week as a day range (``timex`` ``2023-W42``); "the last weeks",
  "the past three months", "recent years" are ranges ending at publication (an unspecified count
  stands for ``vague_count`` units, see ``data/time.yaml``); "since October 7" is the range from
  that day to publication.
* Durations and sets ("for three years", "daily") are not event dates: ``granularity=None``,
  ``value=None``, and ``timex`` says what they are (``P3Y``, ``P1D``).

The vocabulary (number words, units, vague words, sets, seasons) lives in ``data/time.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from eventwire import deadline
from eventwire.datafiles import load_yaml
from eventwire.extract import text_length, whole_text
from eventwire.extract.first_chars import gated
from eventwire.needed_strings import Clauses, fold, may_match, needed_strings


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


# --------------------------------------------------------------------------------------------
# Vocabulary and patterns


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The time vocabulary from ``data/time.yaml`` (loaded once)."""
    text = resources.files("eventwire").joinpath("data/time.yaml").read_text(encoding="utf-8")
    return load_yaml(text)


MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH_FULL = "(?-i:" + "|".join(m.capitalize() for m in MONTHS) + ")"
_MONTH_ABBR = r"(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\."
_MONTH_ANY = rf"(?:{_MONTH_FULL}|{_MONTH_ABBR}|(?-i:Sept))"
#: In a day-month date, abbreviations need no dot ("Aug 18, 2024", "9 Jan"): the day number
#: next to them rules out the other readings of "Jan", "Mar", ...
_MONTH_DAY = rf"(?:{_MONTH_ANY}|(?-i:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b)"
_WEEKDAY = "(?-i:" + "|".join(d.capitalize() for d in WEEKDAYS) + ")"
#: A clock time: "4:30 p.m.", "noon", and the 24-hour form wires write with a zone or "hrs"
#: ("1630 EST", "0900 GMT"), which must not be read as a year.
_CLOCK = (
    r"(?:\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)|noon\b|midnight\b"
    r"|(?:[01]\d|2[0-3])[0-5]\d\s*(?:hrs?\b|hours\b|h\b|(?-i:GMT|UTC|Z|[ECMPA][SD]?T|BST|CES?T"
    r"|EES?T|IST|JST|AES[DT]|SAST|EAT|WAT|MSK)\b))"
)
_YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_PART = r"(?:morning|afternoon|evening|night)"
_MOD = (
    r"(?:early|mid|late|earlier|later|the\s+end\s+of|end\s+of|the\s+beginning\s+of|"
    r"beginning\s+of|the\s+start\s+of|start\s+of|the\s+middle\s+of|middle\s+of)"
)
_APPROX = (
    r"(?:about|nearly|almost|some|more\s+than|less\s+than|over|just|roughly|at\s+least|up\s+to)"
)


def _num_pattern() -> str:
    words = sorted(vocabulary()["numbers"], key=len, reverse=True)
    alternatives = [r"\d+(?:\s+to\s+\d+)?", r"\d+(?:\.\d+)?"]
    alternatives += [re.escape(w).replace(r"\ ", r"\s+") for w in words]
    return "(?:" + "|".join(alternatives) + ")"


def _unit_pattern() -> str:
    units = sorted(vocabulary()["units"], key=len, reverse=True)
    return "(?:" + "|".join(u if u != "century" else "centur(?:y|ie)" for u in units) + ")"


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule needs to resolve an expression: the reference date and the tense.

    ``tense`` is "future", "past" or None (not known: a day or month without a year is then the
    nearest one to publication, a bare weekday the most recent one).
    """

    published: date | None
    tense: str | None = None

    @property
    def future(self) -> bool:
        return self.tense == "future"


@dataclass(frozen=True, slots=True)
class Reading:
    """A resolved expression before it is placed in a text."""

    value: str | None
    granularity: str | None
    basis: str
    timex: str | None


Handler = Callable[[re.Match[str], Context], Reading]


# --------------------------------------------------------------------------------------------
# Date arithmetic


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months (day of month clamped to the target month's length)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def shift(day: date, unit: str, count: int) -> date:
    """``day`` moved by ``count`` units (negative: into the past)."""
    if unit in ("day", "night"):
        return day + timedelta(days=count)
    if unit in ("week", "weekend"):
        return day + timedelta(weeks=count)
    if unit == "fortnight":
        return day + timedelta(weeks=2 * count)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
    return add_months(day, count * months) if months else day


def week_range(day: date) -> str:
    """The ISO week (Monday to Sunday) containing ``day``, as an ISO day range."""
    monday = day - timedelta(days=day.weekday())
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def week_timex(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def month_number(name: str) -> int:
    key = name.lower().rstrip(".")
    return next(i for i, m in enumerate(MONTHS, 1) if m.startswith(key[:3]))


#: With the tense unknown, a day or month without a year this close ahead of publication is
#: taken as upcoming ("the vote on March 28" in a paper of March 22); otherwise the past one.
NEAR_FUTURE_DAYS = 62


def nearest_year(month: int, day: int, ctx: Context) -> int | None:
    """The year of a day-of-month without a year: latest on/before publication, or next if future."""
    pub = ctx.published
    if pub is None:
        return None
    if ctx.future:
        return pub.year if (month, day) >= (pub.month, pub.day) else pub.year + 1
    past = pub.year if (month, day) <= (pub.month, pub.day) else pub.year - 1
    if ctx.tense == "past":
        return past
    ahead = date(past + 1, month, 1) + timedelta(days=day - 1)
    return past + 1 if (ahead - pub).days <= NEAR_FUTURE_DAYS else past


def unit_of(word: str) -> str:
    word = word.lower()
    if word.startswith("centur"):
        return "century"
    return word[:-1] if word.endswith("s") and word[:-1] in vocabulary()["units"] else word


def count_of(word: str | None) -> int | None:
    """A count from digits or number words; None for vague counts ("several")."""
    if word is None:
        return 1
    word = re.sub(r"\s+", " ", word.lower())
    if re.fullmatch(r"\d+", word):
        return int(word)
    value = vocabulary()["numbers"].get(word)
    return value if isinstance(value, int) else None


def duration_timex(unit: str, count: int | None) -> str:
    spec = vocabulary()["units"].get(unit, {"code": "D"})
    n = "X" if count is None else str(count * spec.get("factor", 1))
    return f"PT{n}{spec['code']}" if spec.get("clock") else f"P{n}{spec['code']}"


def clock_timex(clock: str | None) -> str:
    """TimeML time-of-day suffix ("T22:00") for a clock time, or "" without one."""
    if not clock:
        return ""
    text = clock.lower().replace(" ", "")
    if text.startswith("noon"):
        return "T12:00"
    if text.startswith("midnight"):
        return "T24:00"
    found = re.match(r"(\d\d)(\d\d)(?!\d)|(\d{1,2})(?::(\d\d))?", text)
    if found.group(1):  # 24-hour "1630 EST"
        return f"T{found.group(1)}:{found.group(2)}"
    found = re.match(r"(\d{1,2})(?::(\d\d))?", text)
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if text.endswith(("p.m.", "pm")) and hour < 12:
        hour += 12
    if text.endswith(("a.m.", "am")) and hour == 12:
        hour = 0
    return f"T{hour:02d}:{minute:02d}"


def part_timex(part: str | None) -> str:
    return "T" + vocabulary()["day_parts"][part.lower()] if part else ""


# --------------------------------------------------------------------------------------------
# Rules: each handler turns a match into a Reading


def _day_reading(day: date | None, timex_suffix: str, basis: str, underspecified: str) -> Reading:
    if day is None:
        return Reading(None, None, basis, underspecified or None)
    return Reading(day.isoformat(), "day", basis, day.isoformat() + timex_suffix)


def on_date(m: re.Match[str], ctx: Context) -> Reading:
    month = month_number(_g(m, "mon") or _g(m, "mon2"))
    day = int(_g(m, "day") or _g(m, "day2"))
    year = int(_g(m, "year")) if _g(m, "year") else nearest_year(month, day, ctx)
    basis = "explicit" if _g(m, "year") else "relative"
    if not 1 <= day <= 31:
        return Reading(None, None, basis, None)
    valid = (
        year is not None and day <= (add_months(date(year, month, 1), 1) - timedelta(days=1)).day
    )
    found = date(year, month, day) if valid else None
    return _day_reading(found, clock_timex(_g(m, "clock")), basis, f"XXXX-{month:02d}-{day:02d}")


def on_numeric(m: re.Match[str], ctx: Context) -> Reading:
    if _g(m, "iy"):
        year, month, day = int(_g(m, "iy")), int(_g(m, "im")), int(_g(m, "id"))
    else:
        a, b, year = int(_g(m, "a")), int(_g(m, "b")), int(_g(m, "c"))
        year += 2000 if year < 100 else 0
        month, day = (a, b) if a <= 12 and not (b <= 12 < a) else (b, a)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return Reading(None, None, "explicit", None)
    valid = day <= (add_months(date(year, month, 1), 1) - timedelta(days=1)).day
    return _day_reading(date(year, month, day) if valid else None, "", "explicit", None)


def on_month(m: re.Match[str], ctx: Context) -> Reading:
    month = month_number(_g(m, "mon"))
    if _g(m, "year"):
        value = f"{int(_g(m, 'year'))}-{month:02d}"
        return Reading(value, "month", "explicit", value)
    pub = ctx.published
    if pub is None:
        return Reading(None, None, "relative", f"XXXX-{month:02d}")
    year = month_year(month, pub, (_g(m, "shift") or "").lower(), ctx.tense)
    return Reading(f"{year}-{month:02d}", "month", "relative", f"{year}-{month:02d}")


def month_year(month: int, pub: date, which: str, tense: str | None) -> int:
    """The year of a month named without one ("in April", "last September", "next May")."""
    if which == "this":
        return pub.year
    if which == "last":
        return pub.year if month < pub.month else pub.year - 1
    if which == "next":
        return pub.year if month > pub.month else pub.year + 1
    if tense == "future":
        return pub.year if month >= pub.month else pub.year + 1
    past = pub.year if month <= pub.month else pub.year - 1
    ahead = (month - pub.month) % 12
    return past + 1 if tense is None and 0 < ahead <= NEAR_FUTURE_DAYS // 31 else past


def on_weekday(m: re.Match[str], ctx: Context) -> Reading:
    target = WEEKDAYS.index(_g(m, "wd").lower())
    # "Friday night": the day, without a part-of-day suffix (TBAQ's annotators mostly omit it)
    suffix = clock_timex(_g(m, "clock") or _g(m, "clock2"))
    pub = ctx.published
    if pub is None:
        return Reading(None, None, "relative", f"XXXX-WXX-{target + 1}")
    which = (_g(m, "shift") or "").lower()
    if which == "last":
        delta = -((pub.weekday() - target) % 7 or 7)
    elif which == "next":
        delta = (target - pub.weekday()) % 7 or 7
    elif ctx.future:
        delta = (target - pub.weekday()) % 7
    else:
        delta = -((pub.weekday() - target) % 7)
        # The day after publication: news names last week's day "last Tuesday", so a bare
        # "Tuesday" in a sentence not in the past is tomorrow (TBAQ: +1 day 11 times, -6 twice).
        delta = 1 if delta == -6 and ctx.tense != "past" else delta
    return _day_reading(pub + timedelta(days=delta), suffix, "relative", "")


def on_clock(m: re.Match[str], ctx: Context) -> Reading:
    return _day_reading(ctx.published, clock_timex(_g(m, "clock")), "relative", "")


def on_year(m: re.Match[str], ctx: Context) -> Reading:
    year = str(int(_g(m, "year")))
    timex = f"FY{year}" if _g(m, "fy") else year
    return Reading(year, "year", "explicit", timex)


def on_decade(m: re.Match[str], ctx: Context) -> Reading:
    first = int(_g(m, "dec")) * 10
    return Reading(f"{first}/{first + 9}", "range", "explicit", _g(m, "dec"))


def on_relday(m: re.Match[str], ctx: Context) -> Reading:
    word = re.sub(r"\s+", " ", _g(m, "w").lower())
    offsets = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "overnight": 0}
    offsets |= {"the day before yesterday": -2, "the day after tomorrow": 2, "last night": -1}
    offsets |= {"this morning": 0, "this afternoon": 0, "this evening": 0}
    part = word.split()[1] if word.startswith("this ") else None  # "tonight": the day
    pub = ctx.published
    day = pub + timedelta(days=offsets[word]) if pub else None
    return _day_reading(day, part_timex(part), "relative", "")


def _calendar_unit(pub: date, unit: str, offset: int) -> Reading:
    """This/last/next week, month, year, quarter, weekend, decade as a calendar period."""
    if unit in ("week", "weekend"):
        day = pub + timedelta(weeks=offset)
        if unit == "weekend":
            saturday = day - timedelta(days=day.weekday()) + timedelta(days=5)
            value = f"{saturday.isoformat()}/{(saturday + timedelta(days=1)).isoformat()}"
            return Reading(value, "range", "relative", week_timex(day) + "-WE")
        return Reading(week_range(day), "range", "relative", week_timex(day))
    if unit == "month":
        value = add_months(pub.replace(day=1), offset).isoformat()[:7]
        return Reading(value, "month", "relative", value)
    if unit == "quarter":
        first = add_months(date(pub.year, 3 * ((pub.month - 1) // 3) + 1, 1), 3 * offset)
        return _quarter_reading(first.year, (first.month - 1) // 3 + 1, "relative")
    if unit in ("decade", "century"):
        return Reading(None, None, "relative", duration_timex(unit, 1))
    year = str(pub.year + offset)
    return Reading(year, "year", "relative", year)


def _quarter_reading(year: int, quarter: int, basis: str) -> Reading:
    first = date(year, 3 * quarter - 2, 1)
    last = add_months(first, 3) - timedelta(days=1)
    return Reading(f"{first.isoformat()}/{last.isoformat()}", "range", basis, f"{year}-Q{quarter}")


def _season_reading(year: int, season: str, basis: str) -> Reading:
    spec = vocabulary()["seasons"][season]
    first, last = spec["months"]
    end_year = year + 1 if last < first else year
    value = f"{year}-{first:02d}/{end_year}-{last:02d}"
    return Reading(value, "range", basis, f"{year}-{spec['code']}")


def on_relperiod(m: re.Match[str], ctx: Context) -> Reading:
    unit = _g(m, "unit").lower()
    which = _g(m, "shift").lower()
    offset = {"last": -1, "previous": -1, "past": -1, "next": 1, "coming": 1, "following": 1}
    pub = ctx.published
    if pub is None:
        return Reading(None, None, "relative", None)
    if unit in vocabulary()["seasons"]:
        year = pub.year + offset.get(which, 0)
        return _season_reading(year, unit, "relative")
    return _calendar_unit(pub, unit, offset.get(which, 0))


def on_span(m: re.Match[str], ctx: Context) -> Reading:
    """ "the past three weeks", "the last weeks", "recent years": a range ending (or starting) now."""
    unit = unit_of(_g(m, "unit"))
    which = _g(m, "shift").lower()
    count = (
        count_of(_g(m, "num"))
        if _g(m, "num")
        else (None if _g(m, "unit").lower().endswith("s") else 1)
    )
    forward = which in ("next", "coming", "following", "upcoming")
    timex = duration_timex(unit, count)
    pub = ctx.published
    if pub is None:
        return Reading(None, None, "relative", timex)
    n = count if count is not None else vocabulary()["vague_count"]
    other = shift(pub, unit, n if forward else -n)
    low, high = (pub, other) if forward else (other, pub)
    return Reading(f"{low.isoformat()}/{high.isoformat()}", "range", "relative", timex)


def on_ago(m: re.Match[str], ctx: Context) -> Reading:
    unit = unit_of(_g(m, "unit"))
    count = count_of(_g(m, "num"))
    direction = _g(m, "dir").lower()
    if direction in ("earlier", "later"):  # anchored on another event, not on publication
        return Reading(None, None, "relative", None)
    sign = 1 if direction in ("from now", "hence") else -1
    pub = ctx.published
    if pub is None or count is None:
        return Reading(None, None, "relative", "PAST_REF" if sign < 0 else "FUTURE_REF")
    day = shift(pub, unit, sign * count)
    if unit in ("year", "decade", "century"):
        return Reading(str(day.year), "year", "relative", str(day.year))
    if unit in ("month", "quarter"):
        return Reading(day.isoformat()[:7], "month", "relative", day.isoformat()[:7])
    if unit in ("week", "weekend", "fortnight"):
        return Reading(day.isoformat(), "day", "relative", week_timex(day))
    return _day_reading(day, "", "relative", "")


def on_duration(m: re.Match[str], ctx: Context) -> Reading:
    unit = unit_of(_g(m, "unit"))
    count = count_of(_g(m, "num")) if _g(m, "num") else None
    return Reading(None, None, "relative", duration_timex(unit, count))


def on_vague(m: re.Match[str], ctx: Context) -> Reading:
    key = re.sub(r"\s+", " ", _g(m, "w").lower())
    return Reading(None, None, "relative", vocabulary()["vague"][key])


def on_set(m: re.Match[str], ctx: Context) -> Reading:
    if _g(m, "word"):
        return Reading(None, None, "relative", vocabulary()["sets"][_g(m, "word").lower()])
    if _g(m, "wd"):
        return Reading(
            None, None, "relative", f"XXXX-WXX-{WEEKDAYS.index(_g(m, 'wd').lower()) + 1}"
        )
    unit = unit_of(_g(m, "unit"))
    return Reading(None, None, "relative", duration_timex(unit, count_of(_g(m, "num")) or 1))


def on_quarter(m: re.Match[str], ctx: Context) -> Reading:
    ordinal = (_g(m, "ord") or "").lower()
    numbers = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4}
    numbers["4th"] = 4
    quarter = int(_g(m, "qn")) if _g(m, "qn") else numbers.get(ordinal)
    year_text = _g(m, "year") or _g(m, "year2")
    pub = ctx.published
    if quarter is None:
        offset = -4 if ordinal in ("year-earlier", "year-ago") else -1
        offset = 0 if ordinal == "current" else offset
        return (
            _calendar_unit(pub, "quarter", offset) if pub else Reading(None, None, "relative", None)
        )
    if year_text:
        return _quarter_reading(int(year_text), quarter, "explicit")
    if pub is None:
        return Reading(None, None, "relative", f"XXXX-Q{quarter}")
    current = (pub.month - 1) // 3 + 1
    year = pub.year - 1 if quarter > current and not ctx.future else pub.year
    return _quarter_reading(year, quarter, "relative")


def _g(m: re.Match[str], name: str) -> str | None:
    """A named group's text, or None when the group is absent from this rule or did not match."""
    return m.groupdict().get(name)


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    #: Strings every match holds (see :mod:`.needed_strings`): a text without them is not
    #: searched.
    needs: Clauses = ()


def _rule_sources() -> list[tuple[str, str, Handler]]:
    num, unit = _num_pattern(), _unit_pattern()
    vague = "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(vocabulary()["vague"], key=len)[::-1]
    )
    sets = "|".join(vocabulary()["sets"])
    seasons = "|".join(vocabulary()["seasons"])
    return [
        (
            "date",
            rf"(?:(?:{_CLOCK})\s+(?:on\s+)?)?(?:{_WEEKDAY},?\s+)?"
            rf"(?:(?P<mon>{_MONTH_DAY})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)"
            rf"|(?:the\s+)?(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+(?P<mon2>{_MONTH_DAY}))"
            rf"(?:,?\s+(?P<year>{_YEAR})(?!\d))?(?:,?\s+(?:at\s+)?(?P<clock>{_CLOCK}))?",
            on_date,
        ),
        (
            "numeric",
            rf"(?P<iy>{_YEAR})-(?P<im>\d\d)-(?P<id>\d\d)(?!\d)"
            r"|(?<![\d/.])(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.](?P<c>\d{4}|\d\d)(?![\d/])",
            on_numeric,
        ),
        (
            "month",
            rf"(?:(?P<shift>this|last|next)\s+)?(?:(?P<mod>{_MOD})[\s-]+)?(?P<mon>{_MONTH_FULL}|(?-i:Sept)\.?)"
            rf"(?:,?\s+(?:of\s+)?(?P<year>{_YEAR})(?!\d))?",
            on_month,
        ),
        (
            "weekday",
            rf"(?:(?P<clock>{_CLOCK})\s+(?:on\s+)?)?(?:(?P<shift>last|next|this|past|coming)\s+)?"
            rf"(?P<wd>{_WEEKDAY})(?:\s+(?P<part>{_PART}))?(?:,?\s+(?:at\s+)?(?P<clock2>{_CLOCK}))?",
            on_weekday,
        ),
        ("clock", rf"(?P<clock>{_CLOCK})", on_clock),
        (
            "decade",
            r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?P<dec>1[5-9]\d|20\d)0'?s\b",
            on_decade,
        ),
        (
            "year",
            rf"(?<![$\d.,])(?:(?P<fy>fiscal)\s+|(?:early|mid|late)[\s-]+)?(?P<year>{_YEAR})(?![\d%]|,\d|\.\d|\s*%|\s*percent)",
            on_year,
        ),
        (
            "relday",
            r"(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|"
            r"today|tomorrow|tonight|overnight|last\s+night|this\s+(?:morning|afternoon|evening))"
            r"(?:\s+(?P<part>morning|afternoon|evening))?",
            on_relday,
        ),
        (
            "relperiod",
            rf"(?:{_MOD}\s+)?(?P<shift>this|last|next|previous|coming|following|current)\s+"
            rf"(?P<unit>week|weekend|month|year|quarter|decade|century|{seasons})\b",
            on_relperiod,
        ),
        (
            "relperiod",
            r"(?:earlier|later)\s+in\s+the\s+(?P<shift>)(?P<unit>week|month|year)\b",
            on_relperiod,
        ),
        (
            "span",
            rf"(?:the\s+)(?P<shift>past|last|next|coming|previous|following|recent|upcoming)\s+"
            rf"(?:(?P<num>{num})\s+)?(?P<unit>{unit}s?)\b",
            on_span,
        ),
        ("span", rf"(?P<shift>recent|coming|upcoming)\s+(?P<unit>{unit}s)\b", on_span),
        (
            "ago",
            rf"(?:{_APPROX}\s+)?(?P<num>{num})\s+(?P<unit>{unit}s?)\s+"
            r"(?P<dir>ago|earlier|later|from\s+now|hence)\b",
            on_ago,
        ),
        (
            "duration",
            rf"(?!an?\s+second\b)(?:{_APPROX}\s+)?(?P<num>{num})[\s-]+(?P<unit>{unit}s?)(?:\s+long)?\b(?![\s-]+old)",
            on_duration,
        ),
        (
            "duration",
            r"(?<=\bfor\s)(?:many\s+)?(?P<num>)(?P<unit>(?:years|decades|months|weeks|days|hours|centuries))\b",
            on_duration,
        ),
        ("vague", rf"(?P<w>{vague})\b", on_vague),
        (
            "set",
            rf"(?P<word>{sets})\b|every\s+(?P<wd>{_WEEKDAY})|(?:(?:every|each|per)\s+|"
            rf"(?:once|twice|\w+\s+times)\s+(?:a|per)\s+)(?:(?P<num>{num})\s+)?(?P<unit>{unit})s?\b",
            on_set,
        ),
        (
            "quarter",
            r"(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|latest|current|"
            rf"previous|last|same|year-earlier|year-ago)[\s-]+quarter\b(?:\s+of\s+(?P<year>{_YEAR}))?"
            rf"|\bQ(?P<qn>[1-4])(?:\s+(?P<year2>{_YEAR}))?",
            on_quarter,
        ),
        (
            "season",
            rf"(?P<shift>this|last|next|the|early|late)\s+(?P<season>{seasons})"
            rf"(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?",
            on_season,
        ),
        ("season", rf"(?P<season>{seasons})\s+(?:of\s+)?(?P<year>{_YEAR})", on_season),
    ]


def on_season(m: re.Match[str], ctx: Context) -> Reading:
    """Seasons need a determiner or a year ("this summer", "spring 2012"): "fall" is a verb."""
    season = _g(m, "season").lower()
    year = _g(m, "year")
    if year:
        return _season_reading(int(year), season, "explicit")
    pub = ctx.published
    if pub is None:
        return Reading(None, None, "relative", None)
    which = (_g(m, "shift") or "").lower()
    return _season_reading(pub.year + {"last": -1, "next": 1}.get(which, 0), season, "relative")


@lru_cache(maxsize=1)
def rules() -> tuple[Rule, ...]:
    """The compiled rules (case-insensitive except month and weekday names), each behind a
    lookahead on the characters its matches can start with (see :mod:`.first_chars`: every
    rule is tried at every position of the text, and the gate turns most away at once), with
    the strings its matches need (most rules find nothing in most texts)."""
    compiled = []
    for name, source, handler in _rule_sources():
        searched = rule_source(source)
        pattern = gated(searched, re.IGNORECASE)
        compiled.append(Rule(name, pattern, handler, needed_strings(searched, re.IGNORECASE)))
    return tuple(compiled)


def rule_source(source: str) -> str:
    """A rule's pattern as searched: whole words only (no match inside a word or a hyphenated
    compound)."""
    return rf"(?<![\w-])(?:{source})(?![\w-]*\w)"


# --------------------------------------------------------------------------------------------
# Finding expressions in a text

_PREFIXES = re.compile(
    r"(?:\b(?:in|on|at|during|by|from|until|till|through|of)\s+)$", re.IGNORECASE
)
_SINCE = re.compile(r"\bsince\s+$", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|won't|'ll|going\s+to|is\s+to|are\s+to|scheduled|planned|plans?\s+to|"
    r"expected\s+to|due\s+to|upcoming|next|later\s+this|set\s+to|to\s+be\s+held)\b",
    re.IGNORECASE,
)
_TIME_WORD = re.compile(
    rf"\b{_YEAR}\b|\d+/\d+|{_MONTH_FULL}|{_WEEKDAY}|\b(?:day|week|month|year|decade|centur|hour|minute|"
    r"today|tomorrow|yesterday|tonight|morning|evening|night|season|quarter|spring|summer|"
    r"autumn|fall|winter|weekend|now|ago)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    rule: Rule
    match: re.Match[str]


def find_matches(text: str) -> list[Match]:
    """Non-overlapping rule matches in ``text``: the longest wins, then the earliest rule."""
    folded = fold(text)
    found = [
        Match(m.start(), m.end(), rule, m)
        for rule in rules()
        if may_match(rule.needs, folded)
        for m in rule.pattern.finditer(text)
        if m.end() > m.start()
    ]
    order = {rule.name: i for i, rule in enumerate(rules())}
    found.sort(key=lambda f: (-(f.end - f.start), order[f.rule.name], f.start))
    chosen: list[Match] = []
    for item in found:
        if all(item.end <= c.start or item.start >= c.end for c in chosen):
            chosen.append(item)
    return sorted(chosen, key=lambda c: c.start)


def read_match(item: Match, ctx: Context) -> Reading:
    return _read_safely(item.rule.handler, item.match, ctx)


def _read_safely(handler: Handler, m: re.Match[str], ctx: Context) -> Reading:
    """The handler's reading, or an unresolved one when the date arithmetic leaves the calendar:
    a publication date of 9999-12-31 or 0001-01-01 with "tomorrow" or "last week" in the text
    (issue 19 item 5) must leave that expression without a value, not lose the article."""
    try:
        reading = handler(m, ctx)
    except (OverflowError, ValueError):
        return Reading(None, None, "relative", None)
    if reading.value and not all(_CALENDAR_YEAR.match(p) for p in reading.value.split("/")):
        return Reading(None, None, reading.basis, None)  # "next year" from 9999: no year 10000
    return reading


_CALENDAR_YEAR = re.compile(r"(?!0000)\d{4}(?!\d)")


def since_range(reading: Reading, published: date | None) -> Reading:
    """ "since October 7": from the start of what follows "since" to publication."""
    if reading.value is None or published is None:
        return Reading(None, None, reading.basis, reading.timex)
    start = reading.value.split("/")[0]
    if start > published.isoformat():
        return reading
    return Reading(f"{start}/{published.isoformat()}", "range", reading.basis, reading.timex)


def parse_published(value: str | None) -> date | None:
    """The publication date from an ISO date or datetime string (None when absent or unreadable)."""
    if not value:
        return None
    found = re.match(r"(\d{4})-(\d\d)-(\d\d)", value)
    if found is None:
        return None
    year, month, day = (int(x) for x in found.groups())
    valid = 1 <= month <= 12 and 1 <= day <= 31
    return date(year, month, day) if valid else None


def _fallback(text: str, ctx: Context) -> Reading | None:
    """dateparser for what the rules do not know; only absolute dates without a reference date."""
    from dateparser.date import DateDataParser

    if ctx.published is None and not re.search(_YEAR, text):
        return None
    base = datetime.combine(ctx.published or date(2000, 1, 1), datetime.min.time())
    settings = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future" if ctx.future else "past",
        "RETURN_TIME_AS_PERIOD": True,
        "STRICT_PARSING": False,
    }
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    basis = "explicit" if re.search(_YEAR, text) else "relative"
    if data.period == "year":
        return Reading(str(day.year), "year", basis, str(day.year))
    if data.period == "month":
        return Reading(day.isoformat()[:7], "month", basis, day.isoformat()[:7])
    if data.period == "week":
        return Reading(week_range(day), "range", basis, week_timex(day))
    return Reading(day.isoformat(), "day", basis, day.isoformat())


def resolve(
    text: str, published: date | None, *, tense: str | None = None
) -> TimeExpression | None:
    """Normalise one time expression without a Doc ("on Wednesday", "since October 7", "in 2014").

    ``tense`` is "future" for expressions in a future sentence ("will meet on Monday"), "past" in
    a past one, None when unknown (see :class:`Context`). Offsets of the result are into ``text``; None when the text is
    not a time expression.
    """
    ctx = Context(published, tense)
    stripped = text.strip()
    offset = len(text) - len(text.lstrip())
    since = re.match(r"since\s+", stripped, re.IGNORECASE)
    prefix = since or re.match(
        r"(?:in|on|at|during|by|from|until|till|through|of|over|for)\s+", stripped, re.IGNORECASE
    )
    body = stripped[prefix.end() :] if prefix else stripped
    reading = _read_whole(body, ctx)
    if reading is None:
        return None
    if since:
        reading = since_range(reading, published)
    return TimeExpression(offset, offset + len(stripped), stripped, *_fields(reading))


_BARE_UNITS = re.compile(
    r"(?:the\s+)?(?:(?:early|first|last|coming|recent)\s+)?"
    r"(?P<unit>years|months|weeks|days|hours|decades|quarters)(?:[\s-]+(?:long|old|ahead))?",
    re.IGNORECASE,
)


def _read_whole(body: str, ctx: Context) -> Reading | None:
    for rule in rules():
        m = rule.pattern.fullmatch(body)
        if m:
            return _read_safely(rule.handler, m, ctx)
    bare = _BARE_UNITS.fullmatch(body)
    if bare:  # "years", "the weeks ahead": an unspecified duration (TimeML "PXY")
        return Reading(None, None, "relative", duration_timex(unit_of(bare.group("unit")), None))
    try:
        return _fallback(body, ctx)
    except (OverflowError, ValueError):  # a relative base at the calendar's edge
        return Reading(None, None, "relative", None)


def _fields(reading: Reading) -> tuple[str | None, str | None, str, str | None]:
    return reading.value, reading.granularity, reading.basis, reading.timex


def find_times(
    text: str,
    published: date | None,
    *,
    extra_spans: list[tuple[int, int]] = (),
    tense_at: Callable[[int], str | None] | None = None,
) -> list[TimeExpression]:
    """All time expressions in ``text``, resolved against ``published``.

    ``extra_spans`` are candidate spans from elsewhere (spaCy DATE/TIME entities): those that do
    not overlap a rule match and contain a time word are resolved whole (dateparser fallback), and
    kept with ``value=None`` when nothing can read them. ``is_future(char)`` says whether the
    clause around a character offset is in
    ("future", "past" or None when unknown).
    """
    tense = tense_at or (lambda _: None)
    matches = find_matches(text)
    found = [_expression(text, item, published, tense(item.start)) for item in matches]
    taken = [(m.start, m.end) for m in matches]
    for start, end in extra_spans:
        deadline.check()
        if any(start < e and end > s for s, e in taken) or not _TIME_WORD.search(text[start:end]):
            continue
        found.append(_extra_expression(text, start, end, published, tense(start)))
        taken.append((start, end))
    return sorted(found, key=lambda t: t.start)


def _expression(
    text: str, item: Match, published: date | None, tense: str | None
) -> TimeExpression:
    deadline.check()
    reading = read_match(item, Context(published, tense))
    start = item.start
    since = _SINCE.search(text, max(0, start - 10), start)
    if since:
        reading = since_range(reading, published)
        start = since.start()
    return TimeExpression(start, item.end, text[start : item.end], *_fields(reading))


def _extra_expression(
    text: str, start: int, end: int, published: date | None, tense: str | None
) -> TimeExpression:
    span = text[start:end]
    reading = _read_whole(span, Context(published, tense))
    if reading is None:
        reading = Reading(None, None, "relative", None)
    return TimeExpression(start, end, span, *_fields(reading))


# --------------------------------------------------------------------------------------------
# The spaCy stage


_FUTURE_AUX = {"will", "'ll", "shall", "wo", "going"}
_PERFECT_AUX = {"has", "have", "had", "'ve", "'s"}


def clause_tense(doc: Doc) -> Callable[[int], str | None]:
    """A reader of the tense of the clause around a character offset.

    With a dependency parse: the verb the expression hangs from ("met on Monday": past; "will
    meet on Monday": future). Without one (blank pipelines): future when the sentence has a
    future marker, else unknown.
    """
    if not doc.has_annotation("DEP"):
        return _marker_tense(whole_text(doc))
    length = text_length(doc)

    def tense_at(char: int) -> str | None:
        span = doc.char_span(char, min(char + 1, length), alignment_mode="expand")
        return _verb_tense(span.root) if span is not None and len(span) else None

    return tense_at


def _verb_tense(token: Token) -> str | None:
    for _ in range(6):
        if token.tag_.startswith(("VB", "MD")) or token.head is token:
            break
        token = token.head
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if token.tag_ == "VBD" or any(c.tag_ == "VBD" for c in auxes):
        return "past"
    if token.tag_ == "VBN" and words & _PERFECT_AUX:
        return "past"
    return None


def _marker_tense(text: str) -> Callable[[int], str | None]:
    cuts = [0] + [m.end() for m in re.finditer(r"[.!?]\s+|\n+", text)] + [len(text)]
    flags = [(s, e, bool(_FUTURE.search(text[s:e]))) for s, e in zip(cuts, cuts[1:], strict=False)]

    def tense_at(char: int) -> str | None:
        future = next((f for s, e, f in flags if s <= char < e), False)
        return "future" if future else None

    return tense_at


class TimeStage:
    """Sets ``doc._.ew_times``: every time expression, resolved against the publication date."""

    def __call__(self, doc: Doc) -> Doc:
        deadline.check()
        meta = doc._.ew_meta
        published = parse_published(getattr(meta, "published", None))
        text = whole_text(doc)
        spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("DATE", "TIME")]
        spans = [_trim_preposition(text, s, e) for s, e in spans]
        doc._.ew_times = find_times(text, published, extra_spans=spans, tense_at=clause_tense(doc))
        return doc


def _trim_preposition(text: str, start: int, end: int) -> tuple[int, int]:
    found = re.match(r"(?:in|on|at|during|by|from|until|of|over|for)\s+", text[start:end], re.I)
    return (start + found.end(), end) if found else (start, end)


@Language.factory(
    "eventwire_times",
    requires=["token.tag"],
    assigns=["doc._.ew_times"],
)
def make_time(nlp: Language, name: str) -> TimeStage:
    return TimeStage()
