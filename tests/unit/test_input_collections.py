"""Files that hold many articles, or none, are not read as one article (issue 16, finding 9):
a Reuters-21578 SGML collection gives one article per story; other XML is refused by name.
The stories below are made up for the test, in the collection's format."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import InputError
from eventwire.ingest import RawArticle
from eventwire.ingest.readers import NOT_AN_ARTICLE_XML, iter_inputs
from eventwire.store.feeds import iter_corpus_inputs

SGML = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="10" NEWID="7">
<DATE> 3-MAR-1987 09:15:00.12</DATE>
<TOPICS><D>grain</D></TOPICS>
<UNKNOWN>&#5;&#5;&#5;G f0001&#31;reute</UNKNOWN>
<TEXT>&#2;
<TITLE>MILLERS &lt;RIVERTOWN&gt; RAISE FLOUR OUTPUT</TITLE>
<DATELINE>    RIVERTOWN, March 3 - </DATELINE><BODY>Rivertown millers said they would raise
flour output by a tenth after a good harvest &amp; low costs.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="11" NEWID="8">
<DATE>4-MAR-1987 10:00:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
******<TITLE>HILLTOWN BANK SETS DIVIDEND</TITLE>
&#3;
</TEXT>
</REUTERS>
<REUTERS TOPICS="NO" LEWISSPLIT="TEST" CGISPLIT="TRAINING-SET" OLDID="12" NEWID="9">
<DATE>5-MAR-1987 11:30:00.00</DATE>
<TEXT>&#2;
<TITLE>PORT WORKERS END STRIKE</TITLE>
<BODY>Port workers in Hilltown ended a two-day strike on Thursday, their union said.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
"""


def test_a_reuters_collection_is_one_article_per_story(tmp_path: Path) -> None:
    path = tmp_path / "reut2-999.sgm"
    path.write_bytes(SGML.encode("latin-1"))
    items = list(iter_inputs([path]))
    assert [i.origin if isinstance(i, RawArticle) else i.source for i in items] == [
        f"{path}#7", f"{path}#8", f"{path}#9"
    ]  # fmt: skip
    first, brief, last = items
    assert isinstance(first, RawArticle) and isinstance(last, RawArticle)
    assert first.title == "MILLERS <RIVERTOWN> RAISE FLOUR OUTPUT"
    assert first.published == "1987-03-03" and last.published == "1987-03-05"
    assert first.text is not None and first.text.startswith(
        "RIVERTOWN, March 3 - Rivertown millers"
    )
    assert first.text.endswith("good harvest & low costs.")  # sign-off and controls gone
    assert isinstance(brief, InputError) and "without a body" in brief.problem


def test_a_collection_in_a_folder_is_read_as_stories(tmp_path: Path) -> None:
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "reut2-999.sgm").write_text(SGML, encoding="latin-1")
    items = list(iter_corpus_inputs([tmp_path]))
    assert len([i for i in items if isinstance(i, RawArticle)]) == 2


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "catalog.xml",
            '<?xml version="1.0"?><catalog><book id="1"><t>A title</t></book></catalog>',
        ),
        ("data.xml", "<records><record>one</record><record>two</record></records>"),
        ("sniffed", '<?xml version="1.0" encoding="utf-8"?>\n<config><key>value</key></config>'),
    ],
)
def test_unknown_xml_is_refused_by_name(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    [item] = list(iter_corpus_inputs([path]))
    assert isinstance(item, InputError) and item.problem == NOT_AN_ARTICLE_XML


def test_xhtml_and_feeds_in_xml_are_still_read(tmp_path: Path) -> None:
    page = tmp_path / "page.xml"
    page.write_text('<?xml version="1.0"?><html><body><p>A made-up report.</p></body></html>')
    feed = tmp_path / "feed.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><item>'
                    "<title>T</title><description>Made-up text.</description></item></channel></rss>")  # fmt: skip
    assert all(isinstance(i, RawArticle) for i in iter_corpus_inputs([page, feed]))


@pytest.mark.integration
def test_the_shared_reuters_file_gives_its_925_stories(shared_dir: Path) -> None:
    """PROVENANCE.md: 1,000 stories, 925 with a body, all dated 26 Feb - 3 Mar 1987."""
    path = shared_dir / "eval" / "news-load-reuters21578" / "reut2-000.sgm"
    items = list(iter_corpus_inputs([path]))
    articles = [i for i in items if isinstance(i, RawArticle)]
    assert len(items) == 1000 and len(articles) == 925
    assert {a.published for a in articles} <= {f"1987-0{m}-{d:02d}" for m, d in
                                              [(2, 26), (2, 27), (2, 28), (3, 1), (3, 2), (3, 3)]}  # fmt: skip
    assert all(a.title and a.text for a in articles)


def test_a_feed_where_only_articles_are_read_is_named_a_feed(tmp_path: Path) -> None:
    """`extract` reads articles, not feeds: it says so instead of making one article of a feed."""
    path = tmp_path / "wire.rss"
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title></channel></rss>'
    )
    [item] = list(iter_inputs([path]))
    assert isinstance(item, InputError) and item.problem.startswith("an RSS/Atom feed")
