"""Quantities tied to events: "two fighters had been killed" -> killed 2, "1,400 people" -> 1400.

Numbers are read from digits ("1,400", "40", "3.5") or number words ("two", "twenty-one",
"two hundred"). Vague amounts ("dozens", "hundreds", "scores of", "several") are skipped on
purpose: a careful reader does not write a number for them, so neither do we. The ``kind`` is
what is counted: "killed"/"wounded" when the counted noun is the victim of a killing or
wounding word (verb, "dead", "death toll"), else the counted noun itself ("rockets", "people").
"""

from __future__ import annotations

import re

from spacy.tokens import Token

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_DIGITS = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+(\.\d+)?$")

#: Counted nouns (lemma) -> the kind reported when nothing says they were killed or wounded.
COUNTED = {
    "person": "people",
    "people": "people",
    "civilian": "people",
    "fighter": "fighters",
    "soldier": "soldiers",
    "troop": "troops",
    "militant": "fighters",
    "child": "people",
    "protester": "people",
    "demonstrator": "people",
    "resident": "people",
    "rocket": "rockets",
    "missile": "missiles",
    "shell": "shells",
    "drone": "drones",
    "bomb": "bombs",
    "mortar": "shells",
    "tank": "tanks",
    "aircraft": "aircraft",
    "hostage": "hostages",
    "prisoner": "prisoners",
    "police": "police",
    "officer": "people",
    "israeli": "people",
    "palestinian": "people",
    "refugee": "people",
}
KILL_WORDS = {
    "kill",
    "die",
    "dead",
    "death",
    "toll",
    "massacre",
    "murder",
    "slaughter",
    "execute",
    "assassinate",
    "perish",
}
WOUND_WORDS = {"wound", "injure", "hurt", "injured", "wounded"}


def parse_number(text: str) -> int | float | None:
    """The value of a number written in digits or words; None for vague or unreadable ones."""
    clean = text.strip().lower().replace("-", " ")
    if _DIGITS.match(clean):
        value = float(clean.replace(",", ""))
        return int(value) if value.is_integer() else value
    return _parse_words(clean.split())


def _parse_words(words: list[str]) -> int | None:
    total, current = 0, 0
    for word in words:
        if word in ("and", "a"):
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _SCALES and current:
            current *= _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
    value = total + current
    return value if words and value else None


def number_phrase(token: Token) -> str:
    """The whole number a NUM token belongs to ("two hundred", "1,400")."""
    parts = [t for t in token.subtree if t.like_num or t.lower_ in _SCALES or t.lower_ == "-"]
    return " ".join(t.text for t in parts) if parts else token.text


def counted_noun(number: Token) -> Token | None:
    """The noun a number counts: its head ("two fighters"), or the pobj of "two of its fighters"."""
    if number.dep_ == "nummod" and number.head.pos_ in ("NOUN", "PROPN"):
        return number.head
    if number.head.lower_ in ("more", "other", "others") and number.head.i == number.i + 1:
        number = number.head  # "two more of its fighters"
    for child in number.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = [c for c in child.children if c.dep_ == "pobj"]
            if pobj:
                return pobj[0]
    if number.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "appos"):
        return number
    return None


def casualty_kind(number: Token, noun: Token) -> str | None:
    """'killed' or 'wounded' when the counted noun is a victim of a killing/wounding word: the
    words governing the number or the noun, or a sibling of their clause's verb ("the death
    toll rose to 40 fighters")."""
    words = {number.head.lemma_.lower(), noun.head.lemma_.lower(), noun.lemma_.lower()}
    verb = next((t for t in noun.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is not None:
        words.add(verb.lemma_.lower())
        words.update(c.lemma_.lower() for c in verb.children if c.dep_ in ("dobj", "nsubj"))
        words.update(
            g.lemma_.lower()
            for c in verb.children
            if c.dep_ in ("dobj", "nsubj")
            for g in c.children
            if g.dep_ == "compound"
        )
    if words & KILL_WORDS:
        return "killed"
    if words & WOUND_WORDS:
        return "wounded"
    return None
