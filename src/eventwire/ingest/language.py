"""Language check with py3langid: eventwire's dictionaries and model read English only.

A text of at least :data:`MIN_WORDS` words whose detected language is not English, with a
normalised probability of at least :data:`REJECT_CONFIDENCE`, raises
:class:`~eventwire.errors.NotEnglishError` naming the language. Shorter texts (a headline, a
caption) are never rejected: identification is unreliable on a handful of names, and their
language is reported as unknown (None) unless English is detected.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from eventwire.errors import NotEnglishError

MIN_WORDS = 20
REJECT_CONFIDENCE = 0.9
SAMPLE_CHARS = 10_000  # the opening of the text is enough and keeps long inputs cheap


class _Identifier(LanguageIdentifier):
    """py3langid's identifier, scoring from float32 copies of the weight rows it has used.

    The model keeps one row of weights per feature in float16 (100k features x 142
    languages). Scoring a text multiplies the rows of its features (some 900 for an article),
    and converting those rows to float32 on every call was about half the time of a
    classification. The rows are converted the first time a feature is seen and kept in
    float32 (the features of English news come to some 15k rows, 9 MB); the product is the
    same float32 product of the same values, so scores and decisions do not change.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._slot = np.full(self.nb_ptc.shape[0], -1, dtype=np.intp)  # feature -> its row
        self._rows = np.empty((1024, self.nb_ptc.shape[1]), dtype=np.float32)
        self._used = 0

    def _sparse_score(self, visits: Mapping[int, int], table: np.ndarray) -> np.ndarray:
        if table is not self.nb_ptc:  # another table (set_languages): py3langid's own way
            return super()._sparse_score(visits, table)
        idx = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
        counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
        return np.log1p(counts) @ self._float_rows(idx) + self.nb_pc

    def _float_rows(self, idx: np.ndarray) -> np.ndarray:
        """``nb_ptc[idx]`` in float32. New rows are written before their slots are published,
        and a grown array replaces the old one before that too, so a thread reading meanwhile
        only ever sees rows that are filled."""
        slots = self._slot[idx]
        if (slots < 0).any():
            with self._lock:
                new = idx[self._slot[idx] < 0]
                end = self._used + len(new)
                rows = self._rows
                if end > len(rows):
                    rows = np.empty((max(end, 2 * len(rows)), rows.shape[1]), dtype=np.float32)
                    rows[: self._used] = self._rows[: self._used]
                rows[self._used : end] = self.nb_ptc[new]
                self._rows, self._used = rows, end
                self._slot[new] = np.arange(end - len(new), end)
            slots = self._slot[idx]
        return self._rows[slots]


@lru_cache(maxsize=1)
def _identifier() -> Any:
    return _Identifier.from_model_file(MODEL_FILE, norm_probs=True)


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
