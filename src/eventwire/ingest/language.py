"""Language check with py3langid: eventwire's dictionaries and model read English only.

A text of at least :data:`MIN_WORDS` words whose detected language is not English, with a
normalised probability of at least :data:`REJECT_CONFIDENCE`, raises
:class:`~eventwire.errors.NotEnglishError` naming the language. Shorter texts (a headline, a
caption) are never rejected: identification is unreliable on a handful of names, and their
language is reported as unknown (None) unless English is detected.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from eventwire.errors import NotEnglishError

MIN_WORDS = 20
REJECT_CONFIDENCE = 0.9
SAMPLE_CHARS = 10_000  # the opening of the text is enough and keeps long inputs cheap


@lru_cache(maxsize=1)
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and normalised probability of the text's language."""
    language, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return str(language), float(probability)


def check_english(text: str, origin: str = "<input>") -> str | None:
    """'en' for English text, None for a short text of unclear language; else NotEnglishError."""
    language, probability = detect(text)
    if language == "en":
        return "en"
    if len(text.split()) < MIN_WORDS:
        return None
    if probability >= REJECT_CONFIDENCE:
        raise NotEnglishError(origin, language)
    return "en"
