"""Paragraph breaks end sentences.

The cleaned text keeps one blank line between paragraphs (and between a page's headline,
standfirst and body). spaCy's parser does not treat a blank line as a sentence boundary: a
headline without a full stop and the standfirst under it were read as one sentence with the
first paragraph, which joins the actors of different statements into one event. Marking the
first token after each blank line as a sentence start before the parser runs fixes that; the
parser respects boundaries set before it and still splits within paragraphs.
"""

from __future__ import annotations

from spacy.tokens import Doc


def mark_paragraph_starts(doc: Doc) -> Doc:
    """Set ``is_sent_start`` on the first word after every blank line of an unparsed Doc."""
    after_break = False
    for token in doc:
        if token.is_space:
            after_break = after_break or token.text.count("\n") >= 2
            continue
        if after_break and token.i > 0:
            token.is_sent_start = True
        after_break = False
    return doc
