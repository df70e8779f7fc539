"""The characters a regular expression's match can start with, for a cheap gate in front of it.

Python's ``re`` tries a pattern at every position of the text. A pattern that opens with a
lookbehind and long alternations of words under IGNORECASE (the time rules) gets no help from
``re``'s own prefix scan, so each word start enters every alternative. A lookahead on the
possible first characters (``(?=[0-9a-z...])``) fails most positions at once and changes no
match: it only states what the pattern already requires. Derived from the parsed pattern, so
it follows the rules as they change; None when the first character is not bounded.

It reads patterns with ``re._parser``, the parser ``re`` itself uses (private, but stable
from Python 3.11 on); an element it does not know leaves the pattern ungated, never wrong.
"""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}
_ZERO_WIDTH = {sre.AT, sre.ASSERT, sre.ASSERT_NOT}
#: Classes narrow enough to gate with; ``\w``, ``\S`` and the other negations let nearly
#: every position through, so a pattern that can start with them is left as it is.
_CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_SPACE: r"\s"}

#: (character class items, whether the element can match the empty string); items None when
#: any character may come first.
First = tuple[list[str] | None, bool]


def first_char_class(source: str, flags: int = 0) -> str | None:
    r"""A character class (``[...]``) holding every character a match of ``source`` can start
    with, or None when that cannot be usefully bounded (the pattern may match the empty
    string, or start with ``.``, ``\w``, a negated class, a back-reference ...)."""
    items, nullable = _sequence(sre_parse.parse(source, flags))
    if items is None or nullable or not items:
        return None
    return "[" + "".join(dict.fromkeys(items)) + "]"


def gated(source: str, flags: int = 0) -> re.Pattern[str]:
    """``source`` compiled with a lookahead on its possible first characters (when bounded).
    The lookahead ignores case whatever the flags: a ``(?i:...)`` group inside ``source`` may."""
    chars = first_char_class(source, flags)
    return re.compile(f"(?=(?i:{chars}))(?:{source})" if chars else source, flags)


def _sequence(items: Any) -> First:
    found: list[str] = []
    for op, av in items:
        first, nullable = _element(op, av)
        if first is None:
            return None, False
        found.extend(first)
        if not nullable:
            return found, False
    return found, True


def _element(op: Any, av: Any) -> First:
    if op in _ZERO_WIDTH:
        return [], True  # a condition, not a character: the next element comes first
    if op is sre.LITERAL:
        return [_literal(av)], False
    if op is sre.IN:
        return _charset(av), False
    if op is sre.SUBPATTERN:
        return _sequence(av[3])
    if op is sre.ATOMIC_GROUP:
        return _sequence(av)
    if op in _REPEATS:
        first, nullable = _sequence(av[2])
        return first, nullable or av[0] == 0
    if op is sre.BRANCH:
        return _branch(av[1])
    return None, False


def _branch(alternatives: list[Any]) -> First:
    found: list[str] = []
    nullable = False
    for alternative in alternatives:
        first, empty = _sequence(alternative)
        if first is None:
            return None, False
        found.extend(first)
        nullable = nullable or empty
    return found, nullable


def _charset(items: list[tuple[Any, Any]]) -> list[str] | None:
    out: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(_literal(av))
        elif op is sre.RANGE:
            out.append(f"{_literal(av[0])}-{_literal(av[1])}")
        elif op is sre.CATEGORY and av in _CATEGORIES:
            out.append(_CATEGORIES[av])
        else:
            return None  # a negated or broad class, or anything unusual: unbounded
    return out


def _literal(code: int) -> str:
    char = chr(code)
    return char if char.isalnum() else "\\" + char  # an escaped non-alphanumeric is itself
