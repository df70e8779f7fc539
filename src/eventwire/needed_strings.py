r"""Strings every match of a regular expression contains, for a cheap test before searching.

A time rule is searched for at every position of every text (see
:mod:`eventwire.extract.first_chars`), and most rules find nothing in most articles: "three
weeks ago" needs "ago" (or "earlier", "later", ...), "the first quarter" needs "quarter". The
same holds for the inline credits cut from every line of every article. Whether a text holds
such a string is one fast substring search, so a pattern whose needed strings are all absent
is not searched, without changing what is found: it could not have matched.

The needs are read from the parsed pattern as clauses, each a set of strings of which a match
holds at least one ("ago" or "earlier" or "from now" ...). Texts and needs are compared
folded (:func:`fold`): lower case, which is what ``re.IGNORECASE`` compares for ASCII; every
run of white space as one space (``\s+``); every digit as ``0`` (``\d``), so that "5 p.m."
needs "0 p.m." and not just "p.m.". A text holding one of the few other characters that
``re.IGNORECASE`` matches to an ASCII letter (:data:`ASCII_CASE_PARTNERS`) is searched by every
pattern. Like :mod:`eventwire.extract.first_chars` it reads patterns with ``re._parser``; an
element it does not know adds no need, so a pattern is never skipped wrongly, only searched.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

#: The classes with one folded form: every digit is ``0``, every run of white space one space.
_CATEGORIES = {sre.CATEGORY_DIGIT: "0", sre.CATEGORY_SPACE: " "}
#: At most this many strings in a set: longer alternations are cut into shorter needs.
MAX_STRINGS = 64
#: Bounded repeats up to this many copies are expanded (``\d{1,2}``); longer ones need their
#: minimum.
MAX_EXPANDED_REPEAT = 7
#: The characters outside ASCII that ``re.IGNORECASE`` matches to an ASCII letter: dotted and
#: dotless i, long s, the Kelvin sign (a unit test checks every code point).
ASCII_CASE_PARTNERS = frozenset("\u0130\u0131\u017f\u212a")

_SPACE_RUN = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_ASCII = [chr(c) for c in range(128)]
#: :func:`fold` for ASCII text as one table lookup per byte (then runs of spaces are joined).
_ASCII_FOLD = bytes.maketrans(
    "".join(_ASCII).encode(),
    "".join(" " if c.isspace() else "0" if c.isdecimal() else c.lower() for c in _ASCII).encode(),
)

Clauses = tuple[frozenset[str], ...]


class _Reading:
    """What a piece of pattern tells: ``exact``, the set of (folded) strings it can match when
    that set is known and small (else None), and ``clauses`` it needs beyond that."""

    __slots__ = ("clauses", "exact")

    def __init__(self, exact: set[str] | None, clauses: list[frozenset[str]] | None = None):
        self.exact = exact
        self.clauses = clauses or []


def needed_strings(source: str, flags: int = 0) -> Clauses:
    """Clauses (sets of lower-case strings) such that every match of ``source`` contains at
    least one string of each clause; empty when nothing is known to be needed."""
    reading = _sequence(sre_parse.parse(source, flags))
    clauses = list(reading.clauses)
    if reading.exact is not None and "" not in reading.exact:
        clauses.append(frozenset(reading.exact))
    # a clause a single space satisfies tells nothing about a text of several words
    kept = dict.fromkeys(_shortest(c) for c in clauses if " " not in c)
    return tuple(sorted(kept, key=len))  # the cheapest test first: one that fails ends it


def _shortest(clause: frozenset[str]) -> frozenset[str]:
    """The clause without strings that hold another of its strings ("every friday" holds
    "friday": a text with the first has the second)."""
    return frozenset(s for s in clause if not any(t != s and t in s for t in clause))


def fold(text: str) -> str | None:
    """``text`` as the needs are compared with it (lower case, one space for each run of white
    space, ``0`` for each digit), or None when it holds a character that ``re.IGNORECASE``
    matches to an ASCII letter other than by ``lower()``."""
    if text.isascii():  # most texts: a byte table instead of two regular expressions
        folded = text.encode("ascii").translate(_ASCII_FOLD)
        while b"  " in folded:
            folded = folded.replace(b"  ", b" ")
        return folded.decode("ascii")
    if not ASCII_CASE_PARTNERS.isdisjoint(text):
        return None
    return _DIGIT.sub("0", _SPACE_RUN.sub(" ", text.lower()))


def _fold_char(char: str) -> str | None:
    """One character of a pattern as :func:`fold` leaves it in a text; None when not known
    (outside ASCII, ``re.IGNORECASE`` may match it to other characters)."""
    if char.isspace():  # what \s matches in str patterns
        return " "
    if char.isdecimal():  # what \d matches
        return "0"
    return char.lower() if char.isascii() else None


def _joined(a: str, b: str) -> str:
    """Two folded strings end to end: white space next to white space is one run."""
    return a + b[1:] if a.endswith(" ") and b.startswith(" ") else a + b


def may_match(clauses: Clauses, folded: str | None) -> bool:
    """Whether a text (as :func:`fold` gives it) holds a string of every clause."""
    if folded is None:
        return True
    return all(any(s in folded for s in clause) for clause in clauses)


def _sequence(items: Any) -> _Reading:
    """Concatenated elements: exact sets multiply while they stay small; each run of them
    becomes a clause where it ends (when it cannot match the empty string)."""
    run: set[str] = {""}
    clauses: list[frozenset[str]] = []
    whole = True  # every element so far exact, and the run never cut
    for op, av in items:
        part = _element(op, av)
        clauses.extend(part.clauses)
        if part.exact is not None:
            joined = {_joined(a, b) for a in run for b in part.exact}
            if len(joined) <= MAX_STRINGS:
                run = joined
                continue
        whole = False
        _close(run, clauses)
        run = part.exact if part.exact is not None else {""}
    if whole:
        return _Reading(run)
    _close(run, clauses)
    return _Reading(None, clauses)


def _close(run: set[str], clauses: list[frozenset[str]]) -> None:
    if "" not in run:
        clauses.append(_shortest(frozenset(run)))


def _element(op: Any, av: Any) -> _Reading:
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _Reading({""})  # zero width: matches no character
    if op is sre.LITERAL:
        char = _fold_char(chr(av))
        return _Reading({char} if char is not None else None)
    if op is sre.IN:
        return _Reading(_charset(av))
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        return _repeat(av[0], av[1], _sequence(av[2]))
    if op is sre.BRANCH:
        return _branch([_sequence(alternative) for alternative in av[1]])
    return _Reading(None)


def _repeat(low: int, high: int, body: _Reading) -> _Reading:
    r"""``body`` ``low`` to ``high`` times: white space folds to one space however often it
    repeats; other exact bodies expand while small (``\d{1,2}``: "0", "00"); an unbounded
    repeat needs ``low`` copies of its body."""
    exact = body.exact
    if exact is None:
        return _Reading(None, body.clauses if low else [])
    if exact == {" "}:
        return _Reading({" "} if low else {"", " "})
    if high <= MAX_EXPANDED_REPEAT:
        copies = [_power(exact, k) for k in range(low, high + 1)]
        union = {s for c in copies for s in c or ()}
        if None not in copies and len(union) <= MAX_STRINGS:
            return _Reading(union)
    needed = _power(exact, low) if low else None
    return _Reading(None, [frozenset(needed)] if needed and "" not in needed else [])


def _power(exact: set[str], times: int) -> set[str] | None:
    """Every string of ``times`` strings of ``exact`` end to end (None when too many)."""
    out = {""}
    for _ in range(times):
        out = {_joined(a, b) for a in out for b in exact}
        if len(out) > MAX_STRINGS:
            return None
    return out


def _branch(alternatives: list[_Reading]) -> _Reading:
    """Either alternative: exact sets unite; otherwise each alternative's strongest need
    (its longest shortest string) goes into one clause, when every alternative has one."""
    if all(a.exact is not None for a in alternatives):
        joined = {s for a in alternatives for s in a.exact or ()}
        if len(joined) <= MAX_STRINGS:
            return _Reading(joined)
    strongest = [_strongest(a) for a in alternatives]
    if any(s is None for s in strongest):
        return _Reading(None)
    union = _shortest(frozenset(s for clause in strongest for s in clause or ()))
    return _Reading(None, [union] if len(union) <= MAX_STRINGS else [])


def _strongest(reading: _Reading) -> frozenset[str] | None:
    options = list(reading.clauses)
    if reading.exact is not None and "" not in reading.exact:
        options.append(frozenset(reading.exact))
    return max(options, key=lambda c: min(map(len, c)), default=None)


def _charset(items: list[tuple[Any, Any]]) -> set[str] | None:
    r"""The folded characters of a small class (``[/.]``, ``[1-4]``, ``\d``, ``\s``)."""
    chars: set[str | None] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(_fold_char(chr(av)))
        elif op is sre.RANGE and av[1] - av[0] < MAX_STRINGS:
            chars.update(_fold_char(chr(c)) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in _CATEGORIES:
            chars.add(_CATEGORIES[av])
        else:
            return None  # negated, another category, or large
    if None in chars or len(chars) > MAX_STRINGS:
        return None
    return {c for c in chars if c is not None}
