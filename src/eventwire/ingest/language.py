"""Language check with py3langid: eventwire's dictionaries and model read English only.

A text of at least :data:`MIN_WORDS` words whose detected language is not English, with a
normalised probability of at least :data:`REJECT_CONFIDENCE`, raises
:class:`~eventwire.errors.NotEnglishError` naming the language. Shorter texts (a headline, a
caption) are never rejected: identification is unreliable on a handful of names, and their
language is reported as unknown (None) unless English is detected.

A text of :data:`MIN_WORDS` words or more in which no language can be detected is refused
too, with that reason (issue 19, item 16): fewer than :data:`MIN_LETTER_SHARE` of its
characters are letters (tables of numbers, codes, symbols), the identifier calls it "no
linguistic content" (``zxx``), or its best guess is under :data:`UNSURE` and English under
:data:`ENGLISH_FLOOR` (a spread over languages, as for random letters or a list of names).
Such an input has no sentences to code; accepting it "with a warning" would still store an
article with nonsense events and actors, so a careful operator is better served by the refusal
in ``failures``. Over the English news texts in the shared evaluation data (some 200 articles)
this refuses none; the English article the identifier is least sure of still scores 0.6.
"""

from __future__ import annotations

import array
import io
import lzma
import threading
from collections.abc import Mapping
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from eventwire.errors import InputError, NotEnglishError

MIN_WORDS = 20
REJECT_CONFIDENCE = 0.9
SAMPLE_CHARS = 10_000  # the opening of the text is enough and keeps long inputs cheap
MIN_LETTER_SHARE = 0.5  # of the non-space characters (see module)
UNSURE = 0.5
ENGLISH_FLOOR = 0.05
NO_CONTENT = "zxx"  # py3langid's code for text with no linguistic content


#: Bytes of text behind each state of the language identifier's automaton, as walked all at
#: once (see :meth:`_Identifier._feature_counts`); py3langid's states stand for at most six.
WINDOW = 6


class _Identifier(LanguageIdentifier):
    """py3langid's identifier, with the same scores got faster in two ways.

    Features: py3langid walks its automaton over the text a byte at a time in Python (half a
    classification). Here the states after every byte are computed at once with numpy, and
    checked against the automaton before they are used (:meth:`_feature_counts`).

    Scores: the model keeps one row of weights per feature in float16 (100k features x 142
    languages), and converting the rows of a text's features (some 900 for an article) to
    float32 on every call was most of the rest. The rows are converted the first time a
    feature is seen and kept in float32 (the features of English news come to some 15k rows,
    9 MB); the product is the same float32 product of the same values.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lock = threading.Lock()
        self._rows_of = self.nb_ptc  # set_languages() replaces it: then py3langid's own way
        self._slot = np.full(self.nb_ptc.shape[0], -1, dtype=np.intp)  # feature -> its row
        self._rows = np.empty((1024, self.nb_ptc.shape[1]), dtype=np.float32)
        self._used = 0
        moves = self.tk_nextmove
        self._moves = (
            np.frombuffer(moves, dtype=np.dtype(moves.typecode))
            if isinstance(moves, array.array)
            else np.asarray(moves)
        )
        self._offsets = np.asarray(self._rowbase, dtype=np.intp)  # state -> its row of moves
        self._outputs = np.asarray(self.tk_output, dtype=np.intp)

    def _raw_score(self, text: bytes) -> np.ndarray:
        counted = self._feature_counts(text) if self.nb_ptc is self._rows_of else None
        if counted is None:  # no feature, or states not settled: py3langid's own walk
            return super()._raw_score(text)  # (which scores through _sparse_score below)
        return self._score(*counted)

    def _sparse_score(self, visits: Mapping[int, int], table: np.ndarray) -> np.ndarray:
        if table is not self._rows_of:  # set_languages() changed the table: py3langid's way
            return super()._sparse_score(visits, table)
        features = np.fromiter(visits.keys(), dtype=np.intp, count=len(visits))
        counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
        return self._score(features, counts)

    def _score(self, features: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """py3langid's ``_sparse_score``: the same float32 product, from the kept rows."""
        return np.log1p(counts) @ self._float_rows(features) + self.nb_pc

    def _feature_counts(self, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """The features the walk over ``text`` emits, in the order it first meets them (the
        order of py3langid's Counter, which its product follows), with their counts.

        The state after each byte is computed by running the automaton from its start over
        the :data:`WINDOW` bytes that end there, all positions at once. That is the walk's
        state when no state depends on more bytes than that, and it is checked: each state
        must be the move from the one before it on its byte (the first is exact), which by
        induction makes every state the walk's own. Otherwise None, and the caller walks.
        """
        data = np.frombuffer(text, dtype=np.uint8)
        n = len(data)
        states = np.zeros(n, dtype=np.intp)
        for back in range(min(WINDOW, n) - 1, -1, -1):
            states[back:] = self._moves[self._offsets[states[back:]] + data[: n - back]]
        if not np.array_equal(self._moves[self._offsets[states[:-1]] + data[1:]], states[1:]):
            return None
        emitted = self._outputs[states]
        emitted = emitted[emitted >= 0]
        if not len(emitted):
            return None
        features, first, counts = np.unique(emitted, return_index=True, return_counts=True)
        order = np.argsort(first)
        return features[order], counts[order].astype(np.float32)

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
    """The identifier, from the model's arrays decompressed once into the index cache and
    memory-mapped (py3langid decompresses 68 MB of LZMA in every process: 0.3 s of CPU)."""
    from eventwire import index_cache

    path = MODEL_DIR / MODEL_FILE
    key = index_cache.content_key([version("py3langid"), str(path.stat().st_size)])
    model = index_cache.cached_arrays("langid", key, lambda: _model_arrays(path))
    return _Identifier(
        np.asarray(model["ptc"]), np.asarray(model["pc"]), model["classes"].tolist(),
        _stdlib_array(model["nextmove"]), model["out_feat"].tolist(), norm_probs=True,
        tk_row=_stdlib_array(model["nextmove_row"]),
    )  # fmt: skip


def _model_arrays(path: Path) -> dict[str, Any]:
    with np.load(io.BytesIO(lzma.decompress(path.read_bytes())), allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def _stdlib_array(values: np.ndarray) -> array.array:
    """An unsigned integer array as the stdlib array py3langid's automaton walks."""
    out = array.array({2: "H", 4: "I", 8: "L"}[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).tobytes())
    return out


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and normalised probability of the text's language."""
    language, probability = _identifier().classify(text[:SAMPLE_CHARS])
    return str(language), float(probability)


def check_english(text: str, origin: str = "<input>") -> str | None:
    """'en' for English text, None for a short text of unclear language; else NotEnglishError,
    or an InputError for a long text with no detectable language (see module)."""
    language, probability = detect(text)
    if len(text.split()) >= MIN_WORDS:
        _refuse_without_language(text, origin, language, probability)
    if language == "en":
        return "en"
    if len(text.split()) < MIN_WORDS:
        return None
    if probability >= REJECT_CONFIDENCE:
        raise NotEnglishError(origin, language)
    return "en"


def _refuse_without_language(text: str, origin: str, language: str, probability: float) -> None:
    """Raise an InputError when no language can be detected in ``text`` (see module)."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(c.isalpha() for c in sample)
    visible = sum(not c.isspace() for c in sample)
    if visible and letters < MIN_LETTER_SHARE * visible:
        raise InputError(
            origin,
            f"no detectable language: only {letters / visible:.0%} of its characters are "
            "letters (numbers, codes or symbols, not sentences)",
        )
    if language == NO_CONTENT:
        raise InputError(origin, "no detectable language: no sentences of any language found")
    if language != "en" and probability < UNSURE:
        english = dict(_identifier().rank(sample)).get("en", 0.0)
        if english < ENGLISH_FLOOR:
            raise InputError(
                origin,
                f"no detectable language (best guess {language!r} at {probability:.0%}, "
                f"English at {english:.0%})",
            )
