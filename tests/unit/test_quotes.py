"""Unit tests for eventwire_quotes on hand-built Docs (no trained model needed)."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc

from eventwire.errors import DataError
from eventwire.extract import ensure_extensions
from eventwire.extract.quotes import (
    QuotesStage,
    find_quotations,
    find_quotes,
    find_speech_acts,
    load_speech_lexicon,
    paragraphs,
)
from eventwire.record import Entity, Quote, TextSpan

ensure_extensions()
NLP = spacy.blank("en")


def annotate(doc: Doc, names: dict[str, str]) -> Doc:
    """Mark every occurrence of each name as one entity (ids e1, e2, ... in ``names`` order)."""
    token_entity: list[str | None] = [None] * len(doc)
    entities = []
    for number, (name, label) in enumerate(names.items(), start=1):
        eid = f"e{number}"
        spans = [doc.char_span(m.start(), m.end()) for m in re.finditer(re.escape(name), doc.text)]
        spans = [s for s in spans if s is not None]
        for span in spans:
            for tok in span:
                token_entity[tok.i] = eid
        mentions = [TextSpan(s.start_char, s.end_char, s.text) for s in spans]
        entities.append(Entity(id=eid, name=name, type=label, mentions=mentions))
    doc._.ew_entities = entities
    doc._.ew_token_entity = token_entity
    return doc


def quotes_of(text: str, names: dict[str, str] | None = None) -> tuple[list[Quote], dict]:
    doc = annotate(NLP(text), names or {})
    ids = {f"e{n}": name for n, name in enumerate(names or {}, start=1)}
    return find_quotes(doc), ids


def speakers(text: str, names: dict[str, str] | None = None) -> list[tuple[str | None, str]]:
    found, ids = quotes_of(text, names)
    return [(ids.get(q.speaker) if q.speaker else None, q.text) for q in found]


# --- marks --------------------------------------------------------------------------------------


def test_paragraphs_break_at_blank_lines_sentence_ends_and_indents_not_at_wrapping() -> None:
    text = "One\nwrapped.\n\nTwo.\nThree wrapped\nline.\n    Four"
    assert [text[a:b] for a, b in paragraphs(text)] == [
        "One\nwrapped.", "Two.", "Three wrapped\nline.", "Four",
    ]  # fmt: skip


def test_a_hard_wrapped_quote_stays_one_quote() -> None:
    text = '    "We will arm consumers with\nenough information," Dodd said in a\nstatement.\n'
    assert speakers(text, {"Dodd": "PERSON"}) == [
        ("Dodd", "We will arm consumers with\nenough information"),
    ]


def test_curly_straight_and_guillemet_marks_are_found_without_marks_or_trailing_comma() -> None:
    text = 'He said “one two three,” then "four five six" and «seven eight nine».'
    groups = find_quotations(text)
    assert [text[g[0].start : g[0].end] for g in groups] == [
        "one two three", "four five six", "seven eight nine",
    ]  # fmt: skip


def test_curly_opening_mark_closed_by_a_straight_mark() -> None:
    text = 'The centre noted that “the group is based abroad." Others disagree.'
    (group,) = find_quotations(text)
    assert text[group[0].start : group[0].end] == "the group is based abroad."


def test_apostrophes_are_not_quote_marks_and_nested_single_quotes_stay_inside() -> None:
    text = "The army’s chief said “the operation ‘Iron Gate’ is over” on Monday."
    groups = find_quotations(text)
    assert len(groups) == 1
    assert text[groups[0][0].start : groups[0][0].end] == "the operation ‘Iron Gate’ is over"


def test_a_quote_left_open_continues_in_a_paragraph_that_opens_with_a_mark() -> None:
    text = "“We will stay here.\n\n“We will not leave,” she said.\n\nLater news."
    (group,) = find_quotations(text)
    assert [text[s.start : s.end] for s in group] == ["We will stay here.", "We will not leave"]


def test_an_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "The mayor said: “The water is back on in every district\n\nNext story."
    (group,) = find_quotations(text)
    assert text[group[0].start : group[0].end] == "The water is back on in every district"
    assert group[0].close_at is None


# --- quotation or scare quote -------------------------------------------------------------------


def test_short_scare_quotes_without_a_cue_are_not_quotes() -> None:
    text = "The talks aimed at “coordination” and a “lasting victory” over rivals."
    assert speakers(text) == []


def test_a_short_quote_governed_by_a_cue_is_a_partial_quote_of_that_speaker() -> None:
    text = "The Defence Ministry said the strike was a “grave mistake” and ordered an inquiry."
    assert speakers(text, {"The Defence Ministry": "ORG"}) == [
        ("The Defence Ministry", "grave mistake"),
    ]


def test_a_sentence_of_its_own_with_three_words_is_a_quotation() -> None:
    assert speakers("The vote ended.\n\n“Nobody trusts them.”") == [(None, "Nobody trusts them.")]


def test_single_curly_quotes_count_only_when_they_are_quotations() -> None:
    text = "‘We will hold the line until the very end,’ Jane Okoro said. Rivals spoke of ‘defeat’."
    assert speakers(text, {"Jane Okoro": "PERSON"}) == [
        ("Jane Okoro", "We will hold the line until the very end"),
    ]


# --- speakers from a cue in the same sentence ---------------------------------------------------


def test_x_said_after_the_quote() -> None:
    text = '"We will rebuild every school in the district," the Education Ministry said.'
    found, _ = quotes_of(text, {"Education Ministry": "ORG"})
    (quote,) = found
    assert (quote.speaker, quote.cue) == ("e1", "said")
    assert quote.text == "We will rebuild every school in the district"
    assert text[quote.start : quote.end] == quote.text


def test_said_x_inverted_after_the_quote() -> None:
    text = "“Our borders stay open to people fleeing the war,” said Foreign Minister Ana Ruiz."
    assert speakers(text, {"Ana Ruiz": "PERSON"})[0][0] == "Ana Ruiz"


def test_x_said_colon_before_the_quote() -> None:
    text = "Ana Ruiz said: “Our borders stay open to all who flee the war.”"
    found, _ = quotes_of(text, {"Ana Ruiz": "PERSON"})
    assert [(q.speaker, q.cue) for q in found] == [("e1", "said")]


def test_according_to_x() -> None:
    text = "According to the Red Crescent, “at least 40 families lost their homes overnight.”"
    found, _ = quotes_of(text, {"Red Crescent": "ORG"})
    assert [(q.speaker, q.cue) for q in found] == [("e1", "According to")]


def test_x_told_an_outlet_gives_the_speaker_not_the_outlet() -> None:
    text = "Omar Haddad told Reuters: “The convoy reached the border at dawn.”"
    names = {"Omar Haddad": "PERSON", "Reuters": "ORG"}
    assert speakers(text, names) == [("Omar Haddad", "The convoy reached the border at dawn.")]


def test_x_said_in_a_statement_and_x_added() -> None:
    text = (
        "“The ceasefire must hold for the talks to continue,” the Arbor Union said in a statement. "
        "“We expect all parties to comply,” it added."
    )
    result = speakers(text, {"Arbor Union": "ORG"})
    assert [s for s, _ in result] == ["Arbor Union", "Arbor Union"]


def test_x_comma_apposition_comma_said() -> None:
    text = "“We are ready to sign the accord,” Lina Varga, the deputy head of the agency, said."
    assert speakers(text, {"Lina Varga": "PERSON"})[0][0] == "Lina Varga"


def test_media_outlet_as_speaker() -> None:
    text = "The Harbour Gazette reported: “Three ships were turned back at the port.”"
    assert speakers(text, {"The Harbour Gazette": "ORG"})[0][0] == "The Harbour Gazette"


def test_a_short_following_sentence_can_carry_the_cue() -> None:
    text = "“The checkpoints will close at six tonight.” The army said.\n\nMore news."
    assert speakers(text, {"army": "ORG"})[0][0] == "army"


def test_a_long_following_sentence_is_not_a_cue() -> None:
    text = (
        "“The checkpoints will close at six tonight.” The army said it would review the rule later."
    )
    assert speakers(text, {"army": "ORG"})[0][0] is None


# --- pronouns and documents ---------------------------------------------------------------------


def test_pronoun_speaker_is_the_last_compatible_person() -> None:
    text = "Maria Lind met the press in Oslo. “We have done what we promised,” she said."
    names = {"Maria Lind": "PERSON", "Oslo": "GPE"}
    assert speakers(text, names)[0][0] == "Maria Lind"


def test_pronoun_prefers_the_last_speaker_over_a_later_mention() -> None:
    text = "Maria Lind said talks with Peter Holm went well. “We agreed on much,” she added."
    names = {"Maria Lind": "PERSON", "Peter Holm": "PERSON"}
    assert speakers(text, names)[0][0] == "Maria Lind"


def test_it_said_resolves_to_an_organisation() -> None:
    text = "Maria Lind met the Civic League. “The vote was free and fair,” it said."
    names = {"Maria Lind": "PERSON", "Civic League": "ORG"}
    assert speakers(text, names)[0][0] == "Civic League"


def test_the_report_stands_for_its_named_source() -> None:
    text = (
        "The Harbour Gazette said on Monday that the port had reopened.\n\n"
        "The report added: “Ships are moving again after three weeks.”"
    )
    assert speakers(text, {"The Harbour Gazette": "ORG"})[0][0] == "The Harbour Gazette"


def test_a_report_by_unnamed_authors_has_no_speaker() -> None:
    text = (
        "The Harbour Gazette said the port had reopened. A report by local officials said: "
        "“Ships are moving again after three weeks.”"
    )
    assert speakers(text, {"The Harbour Gazette": "ORG"})[0][0] is None


# --- continuation and lone quotes ---------------------------------------------------------------


def test_a_quote_with_no_cue_continues_the_speaker_of_the_previous_paragraph() -> None:
    text = "Ana Ruiz said the talks had failed.\n\n“We will try again next month.”"
    found, _ = quotes_of(text, {"Ana Ruiz": "PERSON"})
    assert [(q.speaker, q.cue) for q in found] == [("e1", None)]


def test_a_quote_after_an_attributed_quote_continues_its_speaker() -> None:
    text = "“The bridge is safe,” the Roads Agency said.\n\n“Traffic resumes on Friday.”"
    result = speakers(text, {"Roads Agency": "ORG"})
    assert [s for s, _ in result] == ["Roads Agency", "Roads Agency"]


def test_continuation_does_not_reach_back_two_paragraphs() -> None:
    text = "Ana Ruiz said the talks had failed.\n\nThe rain went on.\n\n“We will try again soon.”"
    assert speakers(text, {"Ana Ruiz": "PERSON"}) == [(None, "We will try again soon.")]


def test_a_lone_quote_gets_no_speaker() -> None:
    assert speakers("“Nobody saw the convoy leave the city that night.”") == [
        (None, "Nobody saw the convoy leave the city that night."),
    ]


def test_a_multi_sentence_quote_is_one_quote() -> None:
    text = "“The roads are closed. The schools are shut. We need help,” Mayor Ito said."
    result = speakers(text, {"Ito": "PERSON"})
    assert result == [("Ito", "The roads are closed. The schools are shut. We need help")]


def test_a_multi_paragraph_quote_gives_one_quote_per_paragraph_with_one_speaker() -> None:
    text = (
        "Mayor Ito said on Monday:\n\n“The roads are closed and the schools are shut.\n\n"
        "“We need help from the capital before the next storm.”"
    )
    result = speakers(text, {"Ito": "PERSON"})
    assert [s for s, _ in result] == ["Ito", "Ito"]
    assert result[1][1] == "We need help from the capital before the next storm."


# --- with a parse -------------------------------------------------------------------------------


def parsed(words: list[str], heads: list[int], deps: list[str], tags: list[str],
           names: dict[str, tuple[int, int, str]]) -> Doc:  # fmt: skip
    pos = {"VBD": "VERB", "VBZ": "AUX", "NN": "NOUN", "NNP": "PROPN", "DT": "DET"}
    spaces = [
        nxt not in {".", ",", ":", "”"} and word != "“"
        for word, nxt in zip(words, words[1:], strict=False)
    ]
    doc = Doc(NLP.vocab, words=words, spaces=[*spaces, False], heads=heads, deps=deps, tags=tags,
              pos=[pos.get(t, "PUNCT" if not t[0].isalpha() else "X") for t in tags])  # fmt: skip
    token_entity: list[str | None] = [None] * len(doc)
    entities = []
    for number, (name, (start, end, label)) in enumerate(names.items(), start=1):
        token_entity[start:end] = [f"e{number}"] * (end - start)
        entities.append(Entity(id=f"e{number}", name=name, type=label))
    doc._.ew_entities, doc._.ew_token_entity = entities, token_entity
    return doc


def test_parsed_subject_with_apposition_gives_the_person() -> None:
    words = ["The", "head", "of", "Arbor", ",", "Tomas", "Brenner", ",", "told", "Reuters", ":",
             "“", "This", "is", "only", "the", "start", ".", "”"]  # fmt: skip
    heads = [1, 8, 1, 2, 1, 6, 1, 1, 8, 8, 8, 13, 13, 8, 16, 16, 13, 8, 8]
    deps = ["det", "nsubj", "prep", "pobj", "punct", "compound", "appos", "punct", "ROOT", "dobj",
            "punct", "punct", "nsubj", "ccomp", "advmod", "det", "attr", "punct", "punct"]  # fmt: skip
    tags = ["DT", "NN", "IN", "NNP", ",", "NNP", "NNP", ",", "VBD", "NNP", ":",
            "``", "DT", "VBZ", "RB", "DT", "NN", ".", "''"]  # fmt: skip
    names = {"Arbor": (3, 4, "ORG"), "Tomas Brenner": (5, 7, "PERSON"), "Reuters": (9, 10, "ORG")}
    (quote,) = find_quotes(parsed(words, heads, deps, tags, names))
    assert (quote.speaker, quote.cue, quote.text) == ("e2", "told", "This is only the start.")


@pytest.mark.parametrize(("verb_tag", "expected"), [("VBP", ["we stay here"]), ("VB", [])])
def test_a_short_quote_is_a_quotation_only_with_a_finite_verb(verb_tag: str, expected) -> None:
    words = ["Banners", "read", "“", "we", "stay", "here", "”", "."]
    heads = [1, 1, 4, 4, 1, 4, 4, 1]
    deps = ["nsubj", "ROOT", "punct", "nsubj", "ccomp", "advmod", "punct", "punct"]
    tags = ["NNS", "VBD", "``", "PRP", verb_tag, "RB", "''", "."]
    found = find_quotes(parsed(words, heads, deps, tags, {}))
    assert [(q.text, q.speaker, q.cue) for q in found] == [(t, None, None) for t in expected]


# --- the lexicon and the component --------------------------------------------------------------


def test_shipped_lexicon_is_versioned_and_has_the_core_cues() -> None:
    lexicon = load_speech_lexicon()
    assert lexicon.version >= 1
    assert {"said", "told", "added", "according", "tweeted", "warned"} - lexicon.verb_forms == {
        "according"
    }
    assert (("according", "to"), "after") in lexicon.phrases
    assert "report" in lexicon.document_nouns and lexicon.pronouns["she"] == {"PERSON"}


def test_a_user_lexicon_extends_the_shipped_one(tmp_path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text("version: 7\nverbs:\n  mutter: [muttered]\n", encoding="utf-8")
    stage = QuotesStage(str(path))
    assert {"muttered", "said"} <= stage.lexicon.verb_forms
    doc = annotate(NLP("“We have lost this round,” Ana Ruiz muttered."), {"Ana Ruiz": "PERSON"})
    assert [(q.speaker, q.cue) for q in stage(doc)._.ew_quotes] == [("e1", "muttered")]


def test_a_user_lexicon_can_replace_the_shipped_one(tmp_path) -> None:
    path = tmp_path / "cues.yaml"
    path.write_text("version: 2\nreplace: true\nverbs:\n  mutter: [muttered]\n", encoding="utf-8")
    lexicon = load_speech_lexicon(str(path))
    assert lexicon.verb_forms == {"muttered"} and lexicon.version == 2


@pytest.mark.parametrize(
    "body",
    [
        "verbs: {say: [said]}\n",
        "version: 1\nverbs: {say: said}\n",
        "version: 1\nphrases: [{speaker: after}]\n",
        "version: 1\nphrases: [{words: [per], speaker: nowhere}]\n",
    ],
)
def test_a_malformed_lexicon_is_a_data_error(tmp_path, body: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(DataError):
        load_speech_lexicon(str(path))


def test_the_stage_works_without_entities_and_sets_the_attribute() -> None:
    doc = NLP("“Nobody saw the convoy leave the city that night,” a witness said.")
    (quote,) = QuotesStage()(doc)._.ew_quotes
    assert (quote.speaker, quote.cue) == (None, "said")


# --- later rules --------------------------------------------------------------------------------


def test_a_cue_after_the_quote_must_follow_it_closely() -> None:
    text = "Crowds waved banners reading “Bread, not bullets” and later chanted at the police."
    assert speakers(text) == []


def test_a_surname_alone_stands_for_the_one_person_who_has_it() -> None:
    text = "Daniel Okello spoke first. “This is not a promise on paper,” Okello added."
    assert speakers(text, {"Daniel Okello": "PERSON"})[0][0] == "Daniel Okello"


def test_a_surname_shared_by_two_people_is_not_guessed() -> None:
    text = "Daniel Okello met Ruth Okello. “The plan is ready for signing,” Okello added."
    names = {"Daniel Okello": "PERSON", "Ruth Okello": "PERSON"}
    assert speakers(text, names)[0][0] is None


def test_x_comma_who_said() -> None:
    text = "The delegation was led by Hana Tesfaye, who said the plan needed “clear rules”."
    assert speakers(text, {"Hana Tesfaye": "PERSON"}) == [("Hana Tesfaye", "clear rules")]


def test_parsed_pronoun_is_the_subject_of_the_previous_sentence() -> None:
    words = ["Arruda", "said", "no", ".", "Mendes", "spoke", "later", ".", "“", "We", "act",
             "now", ",", "”", "he", "said", "."]  # fmt: skip
    heads = [1, 1, 1, 1, 5, 5, 5, 5, 10, 10, 15, 10, 15, 15, 15, 15, 15]
    deps = ["nsubj", "ROOT", "dobj", "punct", "nsubj", "ROOT", "advmod", "punct", "punct",
            "nsubj", "ccomp", "advmod", "punct", "punct", "nsubj", "ROOT", "punct"]  # fmt: skip
    tags = ["NNP", "VBD", "DT", ".", "NNP", "VBD", "RB", ".", "``", "PRP", "VBP", "RB", ",",
            "''", "PRP", "VBD", "."]  # fmt: skip
    names = {"Arruda": (0, 1, "PERSON"), "Mendes": (4, 5, "PERSON")}
    (quote,) = find_quotes(parsed(words, heads, deps, tags, names))
    assert (quote.speaker, quote.text) == ("e2", "We act now")


def test_parsed_partial_quote_outside_the_cue_clause_is_dropped() -> None:
    # "Doe said so . Fans want “a title”" with a broken sentence: the cue does not govern it
    words = ["Doe", "said", "so", "and", "fans", "want", "“", "titles", "”", "."]
    heads = [1, 1, 1, 1, 5, 5, 7, 5, 7, 5]
    deps = ["nsubj", "ROOT", "advmod", "cc", "nsubj", "ROOT", "punct", "dobj", "punct", "punct"]
    tags = ["NNP", "VBD", "RB", "CC", "NNS", "VBP", "``", "NNS", "''", "."]
    assert find_quotes(parsed(words, heads, deps, tags, {"Doe": (0, 1, "PERSON")})) == []


def test_speech_acts_give_reported_speech_speakers_for_later_stages() -> None:
    text = "Ana Ruiz said the army had withdrawn, according to the Harbour Gazette. “No,” she said."
    doc = annotate(NLP(text), {"Ana Ruiz": "PERSON", "Harbour Gazette": "ORG"})
    acts = [(a.cue, a.speaker) for a in find_speech_acts(doc) if a.kind == "cue"]
    assert acts == [("said", "e1"), ("according to", "e2"), ("said", "e1")]


_PIECES = st.sampled_from(
    ["“", "”", '"', "‘", "’", "«", "»", "\n", "\n\n", "    ", " ", ",", ".", ":", "said", "he",
     "according", "to", "the", "report", "Ana", "We", "won", "'s", "it", "added", "Ruiz"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_quotes_never_crash_and_always_point_at_their_text(pieces: list[str]) -> None:
    text = " ".join(pieces)
    doc = annotate(NLP(text), {"Ana": "PERSON", "Ruiz": "PERSON"})
    for quote in find_quotes(doc):
        assert 0 <= quote.start < quote.end <= len(text)
        assert text[quote.start : quote.end] == quote.text == quote.text.strip()
        assert quote.speaker in (None, "e1", "e2")
