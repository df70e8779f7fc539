"""Publication date: given by the caller, from the page's metadata, or inferred from the text.

Event dates ("on Wednesday") are resolved against this date, so a wrong one shifts every event;
when nothing supports a date it stays unknown (``None``), it is never taken from the machine's
clock.

Inference reads the *original* text, before cleaning, because captions carry dates. Only full
explicit dates count (day, month and year), found in three kinds of places, in this order of trust:

1. a "Published ..." line, then a line near the top that is a date and nothing else ("July 08,
   2012", "Wednesday, March 4, 2009, 10:53 AM"), then a dateline at the start of a paragraph
   ("BEIRUT, Oct 25 (Reuters) -", "March 3, 2024 —"), then an "Updated ..." line; the first of
   the best kind wins. A dateline without a year takes the year of the latest full date
   elsewhere in the text. Datelines are not read in a text with a timeline (two or more
   paragraphs opening with a date or a year and a colon or dash, "1863: ..."): their dates are
   the timeline's, not the publication's;
2. otherwise a caption dating its picture ("... handout image released on October 25, 2023",
   "taken on ...", "pictured on ..."): the *latest* such date, because a report cannot precede
   the pictures it carries, while an older one is usually a file photo.

Other dates in the text are events, not the publication, and are not used; nor is a date
outside :data:`YEARS`, or one that does not exist (February 30).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache

from eventwire.errors import InputError

BASES = ("given", "metadata", "inferred", "unknown")

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_FULL = rf"(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+(?:of\s+)?{_MONTH},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})"
_YEARLESS = rf"(?:{_MONTH}\s+{_DAY}|{_DAY}\s+{_MONTH})"
FULL_DATE = re.compile(rf"\b{_FULL}(?!\d)")
_FULL_ANY_CASE = re.compile(_FULL, re.I)  # "WEDNESDAY, MARCH 4, 2009" in a date line
_FULL_IN_BYLINE = re.compile(rf"\b{_FULL}(?!\d)", re.I)
PUBLISHED_LINE = re.compile(
    rf"^[ \t]*(?:first\s+)?(?:published|posted|date)\b[^\n]{{0,40}}?(?P<date>{_FULL})", re.I | re.M
)
UPDATED_LINE = re.compile(
    rf"^[ \t]*(?:last\s+)?(?:updated|modified)\b[^\n]{{0,40}}?(?P<date>{_FULL})", re.I | re.M
)
DATELINE = re.compile(
    rf"^[ \t]*(?:[A-Z][A-Za-z.'’ -]{{1,40}},[ \t]*)?(?P<date>{_FULL}|{_YEARLESS})"
    r"[ \t]*(?:\([^)\n]{1,40}\)[ \t]*)?[-—–]",
    re.M,
)
_WEEKDAY = r"(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?"
#: A line near the top that is a date and nothing else ("July 08, 2012", "Wednesday, March 4,
#: 2009, 10:53 AM", "November 28th, 2005, 09:11 GMT"): how pages and wires print the date.
DATE_LINE = re.compile(
    rf"^[ \t]*(?:{_WEEKDAY},?[ \t]+)?(?P<date>{_FULL})"
    r"(?:,?[ \t]*(?:at[ \t]+)?\d{1,2}[ \t]?[:.][ \t]?\d{2}(?:[ \t]?[ap]\.?m\.?)?(?:[ \t]*[A-Z]{2,5})?)?"
    r"[ \t]*$",
    re.I | re.M,
)
DATE_LINE_HEAD_LINES = 6
#: A line opening with a date or a year and a colon or dash: an entry of a timeline.
TIMELINE_ENTRY = re.compile(rf"^[ \t]*(?:{_FULL}|{_YEARLESS}|\d{{4}})[ \t]*[:\-—–]", re.I | re.M)
CAPTION_DATE = re.compile(
    r"\b(?:released|handout|taken|pictured|photographed|filmed|obtained|dated)\b"
    rf"[^.\n]{{0,80}}?\b(?:on\s+)?(?P<date>{_FULL})(?!\d)",
    re.I,
)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_PARTIAL = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2}))?")


@dataclass(frozen=True, slots=True)
class Published:
    """A publication date (ISO) and how it was found: given|metadata|inferred|unknown."""

    value: str | None
    basis: str


def publication_date(
    *,
    given: str | None,
    metadata: str | None,
    text: str,
    bylines: Sequence[str] = (),
    origin: str = "<input>",
) -> Published:
    """The caller's date (validated), else the page metadata's, else one inferred from the
    page's bylines (a full date in a byline is the page's: "By Ana Example, March 3, 2024"),
    else one inferred from the text."""
    if given and given.strip():
        return Published(validate_given(given, origin), "given")
    if metadata and _parse_iso_day(metadata):
        return Published(local_day(metadata, text), "metadata")
    inferred = _byline_date(bylines) or infer_from_text(text)
    return Published(inferred, "inferred") if inferred else Published(None, "unknown")


#: Years a date found in the body may have to be taken for the publication date: news archives
#: reach back to the 19th century; a date outside them is a timeline's or a typo's.
YEARS = (1800, 2200)


def validate_given(value: str, origin: str = "<input>") -> str:
    """An ISO date, partial date or datetime (or a written date with a year) as ISO; else
    InputError. Any calendar year is accepted when the caller gives it (9999-12-31 too): the
    caller knows their archive, and what cannot be resolved against such a date (a relative
    "tomorrow") is left unresolved by the time stage rather than losing the article."""
    value = value.strip()
    partial = _ISO_PARTIAL.fullmatch(value)
    if partial:
        if partial["month"] and not 1 <= int(partial["month"]) <= 12:
            raise InputError(origin, f"impossible publication date {value!r}: month out of range")
        if int(partial["year"]) == 0:
            raise InputError(origin, f"impossible publication date {value!r}: there is no year 0")
        return value
    return _iso_datetime(value, origin)


def _iso_datetime(value: str, origin: str) -> str:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        if _ISO_DAY.match(value):
            raise InputError(origin, f"impossible publication date {value!r}: {exc}") from exc
        return _feed_date(value, origin)
    return parsed.date().isoformat() if _ISO_DAY.fullmatch(value) else parsed.isoformat()


_RFC2822 = re.compile(r"^(?:[A-Z][a-z]{2},\s*)?\d{1,2}\s+[A-Z][a-z]{2}\s+\d{4}\s+\d{1,2}:\d{2}")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}|\b\d{1,2}\s*[ap]\.?m\b", re.I)
_ZONE = re.compile(
    r"(?:\b(?:UTC|GMT)[+-]\d{1,2}|\b(?:UTC|GMT|[ECMP][SD]T|[A-Z]{3,4})\b|[+-]\d{2}:?\d{2})\s*$"
)
#: North American zone names without S/D, as bylines write them; dateparser needs the full form.
_SHORT_ZONES = {"ET": "EST", "CT": "CST", "MT": "MST", "PT": "PST"}
_NUMERIC = re.compile(r"(?P<a>\d{1,2})[/.](?P<b>\d{1,2})[/.]\d{4}\b")
_SHORT_ZONE = re.compile(r"\b(ET|CT|MT|PT)\s*$")


def _feed_date(value: str, origin: str) -> str:
    """RFC 2822 dates as feeds write them ("Wed, 25 Oct 2023 10:00:00 GMT"), else any common
    written date with a year ("24 November 2016", "Nov 22, 2016 4:30 PM MT"): the date and clock
    time as written at the place of publication, with its offset when one is written."""
    if _RFC2822.match(value):
        try:
            return parsedate_to_datetime(value).isoformat()
        except (TypeError, ValueError):
            pass
    written = _written_date(value)
    if written is None:
        raise InputError(
            origin,
            f"publication date {value!r} is not a date with day, month and year "
            "(ISO YYYY-MM-DD or a written form such as '24 November 2016')",
        )
    return written


def _written_date(value: str) -> str | None:
    """A written date with an explicit four-digit year, as ISO; relative words are refused."""
    if not re.search(r"\b\d{4}\b", value):
        return None
    numeric = _NUMERIC.match(value.strip())
    if numeric and numeric["a"] != numeric["b"] and max(int(numeric["a"]), int(numeric["b"])) <= 12:
        return None  # 05/10/2023: the 5th of October or May the 10th; nothing says which
    import dateparser

    text = _SHORT_ZONE.sub(lambda m: _SHORT_ZONES[m.group(1)], value.strip())
    zoned = bool(_ZONE.search(text))
    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": zoned,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[arg-type]
    if parsed is None:
        return None
    if not _CLOCK.search(text):
        return parsed.date().isoformat()
    return parsed.isoformat()


def _parse_iso_day(value: str) -> date | None:
    if not _ISO_DAY.match(value):
        return None
    year, month, day = (int(part) for part in value[:10].split("-"))
    valid = 1 <= month <= 12 and 1 <= day <= _days_in(year, month)
    return date(year, month, day) if valid else None


def _days_in(year: int, month: int) -> int:
    import calendar

    return calendar.monthrange(year, month)[1]


def infer_from_text(text: str) -> str | None:
    """The publication date a text states (see the module docstring for the rule), or None."""
    head = text[:200_000]
    top = "\n".join([line for line in head.split("\n") if line.strip()][:DATE_LINE_HEAD_LINES])
    timeline = len(TIMELINE_ENTRY.findall(head)) >= 2
    searches = [(PUBLISHED_LINE, head), (DATE_LINE, top), (DATELINE, "" if timeline else head)]
    for pattern, where in [*searches, (UPDATED_LINE, head)]:
        for match in pattern.finditer(where):
            found = _date_of(match["date"], head)
            if found and YEARS[0] <= found.year <= YEARS[1]:
                return found.isoformat()
    captions = [d for m in CAPTION_DATE.finditer(head) if (d := parse_date(m["date"]))]
    captions = [d for d in captions if YEARS[0] <= d.year <= YEARS[1]]
    return max(captions).isoformat() if captions else None


def _byline_date(bylines: Sequence[str]) -> str | None:
    """The first full date in a byline, within :data:`YEARS`."""
    for line in bylines:
        for match in _FULL_IN_BYLINE.finditer(line):
            found = parse_date(match.group())
            if found and YEARS[0] <= found.year <= YEARS[1]:
                return found.isoformat()
    return None


def _date_of(found: str, text: str) -> date | None:
    """A full date as written, or a yearless one completed with the text's latest full year."""
    if _FULL_ANY_CASE.fullmatch(found):
        return parse_date(found)
    years = [d.year for m in FULL_DATE.finditer(text) if (d := parse_date(m.group()))]
    return parse_date(f"{found} {max(years)}") if years else None


@lru_cache(maxsize=4096)
def parse_date(written: str) -> date | None:
    """A full explicit date ('October 25, 2023', '25 Oct 2023', '2023-10-25'), or None if invalid."""
    if _ISO_DAY.fullmatch(written):
        return _parse_iso_day(written)
    import dateparser

    cleaned = re.sub(r"(?<=\d)(?:st|nd|rd|th)\b|\bof\b", "", written)
    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


# --------------------------------------------------------------------------------------------
# The date in a page's markup

#: Meta names, properties and itemprops that hold the publication time.
_PUBLISHED_META = frozenset(
    [
        "article:published_time",
        "og:published_time",
        "og:article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "publish-date",
        "publication_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.issued",
        "sailthru.date",
        "parsely-pub-date",
    ]
)
_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
#: A time stamp in UTC this early in the day is still the evening before in the Americas.
UTC_EARLY_HOURS = 6


def page_date(tree: object, found: str | None) -> str | None:
    """The page's publication date: htmldate's reading of the metadata (``found``), as the local
    date and time when a stamp in the page carries its time zone. A stamp written with its own
    offset ("2023-10-26T07:00:00+09:00") says the date at the place of publication; htmldate
    may have read another stamp in UTC, a day off. A stamp in UTC is returned whole (with its
    offset) so :func:`publication_date` can weigh it against the text."""
    day = _parse_iso_day(found) if found else None
    stamps = _published_stamps(tree)
    near = [s for s in stamps if day is None or abs((s.date() - day).days) <= 1]
    zoned = [s for s in near if s.utcoffset() not in (None, timedelta(0))]
    if zoned:
        return zoned[0].isoformat()
    utc = [s for s in near if s.utcoffset() == timedelta(0) and s.date() == day]
    return utc[0].isoformat() if utc else found


def _published_stamps(tree: object) -> list[datetime]:
    """Publication stamps with a time of day, in page order: meta tags, <time>, JSON-LD."""
    values: list[str] = []
    for element in tree.iter("meta", "time", "script"):  # type: ignore[attr-defined]
        if element.tag == "script":
            if "ld+json" in (element.get("type") or ""):
                values.extend(_LD_PUBLISHED.findall(element.text or ""))
            continue
        key = (
            element.get("property") or element.get("name") or element.get("itemprop") or ""
        ).lower()
        if key in _PUBLISHED_META or (element.tag == "time" and element.get("pubdate") is not None):
            values.append(element.get("content") or element.get("datetime") or "")
    stamps = []
    for value in values:
        try:
            stamp = datetime.fromisoformat(value.strip())
        except ValueError:
            continue
        if "T" in value or " " in value.strip():
            stamps.append(stamp)
    return [s for s in stamps if s.tzinfo is not None]


def local_day(metadata: str, text: str) -> str:
    """The publication day of a metadata stamp. A stamp in UTC before :data:`UTC_EARLY_HOURS`
    is the evening before in the Americas: when the text gives that evening's date and not the
    stamp's own, the day before is taken (a report dated 04:26 UTC on the 20th about a game
    "Tuesday, Nov. 19" was published on the 19th where it was written)."""
    day = _parse_iso_day(metadata)
    stamp = _stamp(metadata)
    if day is None or stamp is None or stamp.utcoffset() != timedelta(0):
        return metadata[:10]
    if stamp.hour >= UTC_EARLY_HOURS:
        return day.isoformat()
    before = day - timedelta(days=1)
    stated = {d for m in FULL_DATE.finditer(text[:200_000]) if (d := parse_date(m.group()))}
    return before.isoformat() if before in stated and day not in stated else day.isoformat()


def _stamp(value: str) -> datetime | None:
    if len(value) <= 10:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
