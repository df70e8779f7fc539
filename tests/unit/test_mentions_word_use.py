"""WordUse: lower-case forms, and capitalised forms seen inside a sentence (mentions)."""

from __future__ import annotations

import spacy

from eventwire.extract.mentions import WordUse, sentence_initial

NLP = spacy.blank("en")


def test_capitals_inside_sentences_are_kept_and_sentence_openers_are_not() -> None:
    doc = NLP("Police said Okello met Police chiefs.\nTurnout was low. Okello left, said Okello.")
    use = WordUse.of(doc)
    assert use.inner_caps == {"Okello", "Police"}  # each seen mid-sentence at least once
    assert "Turnout" not in use.inner_caps  # only ever at the start of a line
    assert {"said", "met", "chiefs", "was", "low", "left"} <= use.lower


def test_every_capitalised_form_is_judged_as_if_each_were_looked_at() -> None:
    doc = NLP("Aid arrived. Aid workers said Aid was late.\n\nAid. Smith said Smith and Aid.")
    use = WordUse.of(doc)
    looked = {t.text for t in doc if t.text[:1].isupper() and not sentence_initial(doc, t.i)}
    assert use.inner_caps == looked
