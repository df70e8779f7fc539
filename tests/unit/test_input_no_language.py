"""A long text in which no language can be detected is refused with that reason (issue 19,
item 16), where it used to be accepted as English or refused as "not English (zxx)"."""

from __future__ import annotations

import random

import pytest

from eventwire.errors import InputError, NotEnglishError
from eventwire.ingest.language import check_english

RNG = random.Random(16)
TABLE = "\n".join(",".join(str(RNG.randint(0, 999)) for _ in range(5)) for _ in range(30))
CONSONANTS = " ".join(
    "".join(RNG.choice("bcdfghjklmnpqrstvwxz") for _ in range(RNG.randint(3, 8))) for _ in range(60)
)
CODES = " ".join(f"{RNG.getrandbits(128):032x}" for _ in range(30))
SYMBOLS = " ".join(RNG.choice(["|", "--", "##", "$$", "%", "+=", "<>"]) for _ in range(60))
ENGLISH_WITH_FIGURES = (
    "The port handled 1.2 million containers in 2023, up 4.5 percent from 2022, the authority "
    "said on Monday. Exports of grain rose to 310,000 tonnes while imports of fuel fell, and "
    "the harbour master said two new berths would open by March 2025."
)


@pytest.mark.parametrize(
    "text", [TABLE, CONSONANTS, CODES, SYMBOLS], ids=["table", "consonants", "codes", "symbols"]
)
def test_text_without_a_language_is_refused_with_that_reason(text: str) -> None:
    with pytest.raises(InputError, match="no detectable language") as info:
        check_english(text, "junk.txt")
    assert not isinstance(info.value, NotEnglishError) and info.value.source == "junk.txt"


def test_english_with_figures_and_short_texts_still_pass() -> None:
    assert check_english(ENGLISH_WITH_FIGURES) == "en"
    assert check_english("12 34 56") is None  # too short to judge: never refused
    assert check_english("Hezbollah Hamas Beirut") in {"en", None}
