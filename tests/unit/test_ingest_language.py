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
