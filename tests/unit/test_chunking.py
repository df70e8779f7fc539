"""Long articles parsed in chunks: the pieces cover the text exactly, break where a reader would,
and the joined Doc is the Doc of the whole text (no trained model: a rule-based pipeline)."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from eventwire import chunking
from eventwire.ingest.paragraphs import mark_paragraph_starts


def _text(paragraphs: int) -> str:
    sentence = "Ministers from {} met in Cairo on Tuesday. They agreed to talk again in May."
    return "\n\n".join(sentence.format(f"country {i}") for i in range(paragraphs)) + "\n"


def test_chunks_cover_the_text_and_end_at_paragraph_breaks() -> None:
    text = _text(60)
    bounds = chunking.chunk_bounds(text, 500)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:], strict=False))
    assert all(0 < end - start <= 500 for start, end in bounds)
    assert "".join(text[s:e] for s, e in bounds) == text
    assert all(text[end - 2 : end] == "\n\n" for _, end in bounds[:-1])
    assert len(bounds) > 5


def test_a_long_paragraph_is_cut_at_a_sentence_end_then_at_a_space() -> None:
    paragraph = " ".join(f"Talks on item {i} went on." for i in range(100))
    bounds = chunking.chunk_bounds(paragraph, 300)
    assert all(paragraph[end - 2 : end] == ". " for _, end in bounds[:-1])
    words = "word " * 200
    assert all(words[end - 1] == " " for _, end in chunking.chunk_bounds(words, 64)[:-1])
    solid = "x" * 1000
    assert [e - s for s, e in chunking.chunk_bounds(solid, 300)] == [300, 300, 300, 100]


def test_short_text_is_one_chunk() -> None:
    assert chunking.chunk_bounds("Short.", 100) == [(0, 6)]
    assert chunking.chunk_bounds("", 100) == [(0, 0)]


def _rule_pipeline() -> Language:
    """A stand-in for the model: sentences and entities by rule."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "GPE", "pattern": "Cairo"}, {"label": "DATE", "pattern": "May"}])
    return nlp


def test_the_joined_doc_equals_the_whole_texts_doc(monkeypatch) -> None:
    nlp = _rule_pipeline()
    text = _text(80)
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 700)
    monkeypatch.setattr(chunking, "LONG_TEXT_CHARS", 1000)
    whole = nlp(mark_paragraph_starts(nlp.make_doc(text)))  # as the reader reads a whole text
    doc = mark_paragraph_starts(nlp.make_doc(text))
    doc.user_data["marker"] = "kept"
    joined = chunking.annotate(nlp, doc)
    assert joined.text == text
    assert [t.text for t in joined] == [t.text for t in whole]
    assert [t.whitespace_ for t in joined] == [t.whitespace_ for t in whole]
    assert [(e.start_char, e.end_char, e.label_) for e in joined.ents] == [
        (e.start_char, e.end_char, e.label_) for e in whole.ents
    ]
    assert [s.start_char for s in joined.sents] == [s.start_char for s in whole.sents]
    assert joined.user_data["marker"] == "kept"


def test_the_stream_keeps_input_order_with_long_texts_among_short(monkeypatch) -> None:
    nlp = _rule_pipeline()
    monkeypatch.setattr(chunking, "CHUNK_CHARS", 300)
    monkeypatch.setattr(chunking, "LONG_TEXT_CHARS", 400)
    texts = [_text(1), _text(20), _text(2), _text(3), _text(30), _text(1)]
    chunked: list[int] = []
    real = chunking.parse_in_chunks

    def counting(nlp_: Language, doc: Doc) -> Doc:
        chunked.append(len(doc.text))
        return real(nlp_, doc)

    monkeypatch.setattr(chunking, "parse_in_chunks", counting)
    docs = list(chunking.annotate_stream(nlp, [nlp.make_doc(t) for t in texts], batch_size=2))
    assert [d.text for d in docs] == texts
    assert chunked == [len(texts[1]), len(texts[4])]
    assert all(len(d.ents) > 0 for d in docs)


def test_a_pipeline_without_model_components_reads_the_doc_whole(monkeypatch) -> None:
    nlp = spacy.blank("en")
    monkeypatch.setattr(chunking, "LONG_TEXT_CHARS", 100)
    monkeypatch.setattr(
        chunking, "parse_in_chunks", lambda *_: (_ for _ in ()).throw(AssertionError)
    )
    doc = nlp.make_doc(_text(10))
    assert chunking.is_long(doc)
    assert chunking.annotate(nlp, doc) is doc
    assert list(chunking.annotate_stream(nlp, [doc], batch_size=4)) == [doc]
    assert not chunking.is_long(nlp.make_doc("")) and not chunking.is_long(nlp.make_doc("Short."))
