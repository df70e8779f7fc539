"""Language check: English passes, other languages are named, short texts are never refused."""

from __future__ import annotations

import pytest

from eventwire.errors import NotEnglishError
from eventwire.ingest.language import check_english, detect

ITALIAN = (
    "Il governo ha annunciato martedì un nuovo piano per sostenere gli agricoltori colpiti dalla "
    "siccità, e il ministro ha detto che i fondi arriveranno entro la fine del mese prossimo."
)
ENGLISH = (
    "The government announced a new plan on Tuesday to support farmers hit by the drought, and "
    "the minister said the money would arrive before the end of next month."
)


def test_english_is_accepted() -> None:
    assert check_english(ENGLISH) == "en"
    assert detect(ENGLISH)[0] == "en"


def test_other_language_raises_with_its_code() -> None:
    with pytest.raises(NotEnglishError) as info:
        check_english(ITALIAN, "it.txt")
    assert info.value.language == "it" and "it.txt" in str(info.value)


def test_short_texts_are_not_refused() -> None:
    assert check_english("Hezbollah Hamas Beirut al-Quds") in {"en", None}
    assert check_english("Il governo ha annunciato un piano.") is None


OTHERS = [
    "",
    "a",
    "12345 !!! ???",
    "Привет мир, правительство объявило новый план поддержки фермеров.",
    "政府は火曜日、干ばつの影響を受けた農家を支援する新たな計画を発表した。",
    "Le gouvernement a annoncé mardi un nouveau plan pour soutenir les agriculteurs.",
]


def test_scores_are_py3langids_own_to_the_bit() -> None:
    """The float32 rows kept by eventwire's identifier give py3langid's exact scores."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from eventwire.ingest.language import _identifier

    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ours = _identifier()
    for text in [ENGLISH, ITALIAN, *OTHERS, ENGLISH + " " + ITALIAN]:
        assert ours._decide(text).tobytes() == stock._decide(text).tobytes()
        assert ours.classify(text) == stock.classify(text)


def test_threads_reading_while_rows_are_added_get_the_same_answers() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from eventwire.ingest.language import _Identifier

    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    fresh = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)  # no rows kept yet
    texts = [f"{n} {ENGLISH} {ITALIAN[: 10 * n]}" for n in range(40)] + OTHERS
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(fresh.classify, texts)) == [stock.classify(t) for t in texts]


def test_feature_counts_are_the_walks_own_in_its_order() -> None:
    from py3langid.langid import visit_counts

    from eventwire.ingest.language import _identifier

    ours = _identifier()
    for text in [ENGLISH, ITALIAN, *OTHERS[3:]]:
        data = ours._encode(text)
        walked = visit_counts(ours.tk_nextmove, ours._rowbase, ours.tk_output, data)
        features, counts = ours._feature_counts(data)
        assert features.tolist() == list(walked) and counts.tolist() == list(walked.values())


def test_a_window_too_short_for_the_automaton_falls_back_to_the_walk(monkeypatch) -> None:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from eventwire.ingest import language

    monkeypatch.setattr(language, "WINDOW", 1)  # states then depend on more than the window
    ours = language._Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    stock = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    assert ours._feature_counts(ours._encode(ENGLISH)) is None
    for text in [ENGLISH, ITALIAN, *OTHERS]:
        assert ours._decide(text).tobytes() == stock._decide(text).tobytes()
