"""Quote speakers on hand-built Docs (no trained model): a long apposition between the quote and
its cue, abbreviations that are not sentence ends, and a cue with a speaker over one without."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc
from tests.unit.test_quotes import annotate

from eventwire.extract import ensure_extensions
from eventwire.extract.quotes import find_quotes

ensure_extensions()
NLP = spacy.blank("en")


def speakers(text: str, names: dict[str, str]) -> list[str | None]:
    return [q.speaker for q in find_quotes(annotate(NLP(text), names))]


def test_a_long_apposition_with_an_abbreviation_between_quote_and_cue() -> None:
    text = (
        "“The guards had a duty to keep every inmate in their care safe from harm,” Paul Berman, "
        "the U.S. attorney for the Eastern District of Ohio, said in a news release."
    )
    assert speakers(text, {"Paul Berman": "PERSON", "Ohio": "GPE"}) == ["e1"]


def test_a_cue_before_with_a_speaker_wins_over_a_cue_after_without_one() -> None:
    text = (
        "Mark Lowe said in a statement, “We are deeply relieved by the release of the two "
        "teachers today.” Families were told."
    )
    assert speakers(text, {"Mark Lowe": "PERSON"}) == ["e1"]


def test_a_word_inside_the_quote_is_never_the_parsed_subject() -> None:
    words = ['"', "It", "burned", ".", "Everything", ",", '"', "said", "Vera", "Hale", "."]
    spaces = [False, True, False, True, False, False, True, True, True, False, False]
    heads = [2, 2, 2, 2, 7, 7, 7, 7, 9, 7, 7]
    deps = ["punct", "nsubj", "ROOT", "punct", "nsubj", "punct", "punct", "ROOT", "compound",
            "nsubj", "punct"]  # fmt: skip
    sent_starts = [True, False, False, False, True, False, False, False, False, False, False]
    doc = Doc(
        NLP.vocab, words=words, spaces=spaces, heads=heads, deps=deps, sent_starts=sent_starts
    )
    doc = annotate(doc, {"Vera Hale": "PERSON"})
    assert [q.speaker for q in find_quotes(doc)] == ["e1"]


def test_the_agency_speaks_for_the_organisation_it_refers_to() -> None:
    from eventwire.extract.coref import resolve_coreference

    text = (
        "The Storm Watch Center issued a warning. The agency warns that “all hazards will be "
        "possible across the plains tonight.”"
    )
    doc = annotate(NLP(text), {"Storm Watch Center": "ORG"})
    doc._.ew_roles = {}
    resolve_coreference(doc)
    assert [q.speaker for q in find_quotes(doc)] == ["e1"]


def test_she_said_is_never_the_man_named_before() -> None:
    from eventwire.extract.coref import resolve_coreference

    text = "Gary Moss took her to the basement. She said: “I saw a big hole in the floor there.”"
    doc = annotate(NLP(text), {"Gary Moss": "PERSON"})
    doc._.ew_roles = {}
    resolve_coreference(doc)
    assert [q.speaker for q in find_quotes(doc)] == [None]
