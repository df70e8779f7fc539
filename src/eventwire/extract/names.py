"""Name normalisation: the keys that let "Sheikh Omar al-Haddad", "Al-Haddad's" and "Haddad" meet.

News writes one actor many ways: honorifics and titles ("Sayyed", "Dr.", "Prime Minister"),
Arabic and European particles ("al-", "bin", "van"), possessives, curly quotes, case and
diacritics. Matching works on *keys* made here; displayed names keep their surface form.
The honorific, particle and title lists are data (``data/titles.yaml``), loaded once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from eventwire.datafiles import load_yaml

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"'})
_POSSESSIVE = re.compile(r"(?:'s|')$", re.IGNORECASE)
_EDGE = " \t\r\n\"',;:!?()[]{}<>-–—*"
_ARTICLES = frozenset({"the"})


@dataclass(frozen=True, slots=True)
class TitleLexicon:
    """The contents of ``titles.yaml``: honorifics, particles, role titles and their modifiers."""

    version: str
    honorifics: frozenset[str]
    particles: frozenset[str]
    modifiers: frozenset[str]
    deputy_modifiers: frozenset[str]
    titles: tuple[dict[str, Any], ...]
    honorific_phrases: tuple[tuple[str, ...], ...]  # multi-word honorifics, longest first
    org_heads: frozenset[str] = frozenset()
    person_verbs: frozenset[str] = frozenset()
    role_nouns: frozenset[str] = frozenset()
    title_abbreviations: tuple[tuple[str, str], ...] = ()
    not_names: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def load_titles() -> TitleLexicon:
    """Read the shipped titles lexicon once."""
    text = resources.files("eventwire.data").joinpath("titles.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    honorifics = [str(h).lower() for h in data["honorifics"]]
    phrases = sorted((tuple(h.split()) for h in honorifics), key=len, reverse=True)
    return TitleLexicon(
        version=str(data["version"]),
        honorifics=frozenset(honorifics),
        particles=frozenset(str(p).lower() for p in data["particles"]),
        modifiers=frozenset(str(m).lower() for m in data["modifiers"]),
        deputy_modifiers=frozenset(str(m).lower() for m in data["deputy_modifiers"]),
        titles=tuple(data["titles"]),
        honorific_phrases=tuple(phrases),
        org_heads=frozenset(str(h).lower() for h in data.get("org_heads", [])),
        person_verbs=frozenset(str(v).lower() for v in data.get("person_verbs", [])),
        role_nouns=frozenset(str(v).lower() for v in data.get("role_nouns", [])),
        not_names=frozenset(str(v).lower() for v in data.get("not_names", [])),
        title_abbreviations=tuple(
            (str(k).lower(), str(v).lower())
            for k, v in (data.get("title_abbreviations") or {}).items()
        ),
    )


@lru_cache(maxsize=65536)
def clean_surface(text: str) -> str:
    """A surface form as shown to users: straight quotes, single spaces, no edge punctuation."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = " ".join(text.split()).strip(_EDGE)
    return _POSSESSIVE.sub("", text).strip(_EDGE) if text.endswith(("'s", "'S", "'")) else text


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, without diacritics, curly quotes, dots or possessive: a comparison form.

    Cached (like the name keys below): entity grouping compares the same few names many times.
    """
    text = clean_surface(text)
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_ish = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(ascii_ish.lower().replace(".", "").split())


def _split_particles(word: str, particles: frozenset[str]) -> list[str]:
    """'al-haddad' -> ['al', 'haddad']; 'ki-moon' stays whole (only particles split off)."""
    head, sep, rest = word.partition("-")
    if sep and head in particles and rest:
        return [head, *_split_particles(rest, particles)]
    return [word]


def name_tokens(text: str) -> list[str]:
    """Folded tokens of a name, honorifics, titles and a leading 'the' dropped."""
    return list(_name_tokens(text))


@lru_cache(maxsize=65536)
def _name_tokens(text: str) -> tuple[str, ...]:
    lexicon = load_titles()
    words: list[str] = []
    for word in fold(text).split():
        words.extend(_split_particles(word.strip("'\"-"), lexicon.particles))
    words = [w for w in words if w]
    return tuple(_drop_leading_honorifics(words, lexicon))


def _drop_leading_honorifics(words: list[str], lexicon: TitleLexicon) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        if words[0] in _ARTICLES:
            words, changed = words[1:], True
            continue
        for phrase in lexicon.honorific_phrases:
            if len(words) > len(phrase) and tuple(words[: len(phrase)]) == phrase:
                words, changed = words[len(phrase) :], True
                break
    return words


@lru_cache(maxsize=65536)
def core_tokens(text: str) -> tuple[str, ...]:
    """The matching key of a name: name tokens without particles ('Omar al-Haddad' -> 2)."""
    particles = load_titles().particles
    words = _name_tokens(text)
    core = tuple(w for w in words if w not in particles)
    return core or tuple(words)


def surname(text: str) -> str | None:
    """The last core token of a name, or None for an empty name."""
    core = core_tokens(text)
    return core[-1] if core else None


def strip_honorifics(text: str) -> str:
    """The surface form without leading honorifics or titles ('Sheikh Saleh X' -> 'Saleh X')."""
    words = clean_surface(text).split()
    target = name_tokens(text)
    while len(words) > 1 and name_tokens(" ".join(words[1:])) == target:
        words = words[1:]
    return " ".join(words)


def is_acronym(text: str) -> bool:
    """'AQIM', 'U.S.', 'NATO': short all-capital forms, matched case-sensitively."""
    letters = [ch for ch in text if ch.isalpha()]
    return 1 < len(letters) <= 6 and all(ch.isupper() for ch in letters) and " " not in text


def initials(text: str) -> str:
    """'Al-Qaeda in the Islamic Maghreb' -> 'AQIM' (function words skipped): matches acronyms."""
    skip = {"of", "the", "and", "for", "in", "on", "de", "al"}
    words = re.split(r"[\s\-]+", fold(text))
    return "".join(w[0] for w in words if w and w not in skip).upper()
