"""The real articles of the gold corpus: where each one's text lives in ``../shared/eval``.

The annotations (``eval-data/articles``) never hold article text: they point by corpus and id
into the public data sets, with character offsets into a *reference text* that this module
rebuilds the same way every time. What eventwire reads is the input a user would have: the
plain text for text corpora, the raw HTML page for the web-page corpora (so that cleaning
counts). The reference text of a web page is its curated body (the benchmark's ground truth or
fundus's hand-written parser), with the headline first.
"""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from xml.etree import ElementTree

from lxml import html as lxml_html


@dataclass(frozen=True, slots=True)
class SourceArticle:
    """One candidate article: its reference text and what eventwire is given to read."""

    key: str  # "<corpus>-<id>", stable, used in file names
    corpus: str  # trnews | lgl | gwn | reuters | ecbplus | wikinews | aeb | fundus
    text: str  # the reference text that annotation offsets point into
    input: str  # what eventwire reads: the same text, or the page's HTML
    input_kind: str  # "text" | "html"
    published: str | None  # the corpus's own date (download time, DCT, ...), ISO, or None
    title: str | None = None
    url: str | None = None
    topics: str = ""  # outlet topics or tags, used only to weight the sample

    @property
    def words(self) -> int:
        return len(self.text.split())


CORPORA = ("trnews", "lgl", "gwn", "reuters", "ecbplus", "wikinews", "aeb", "fundus")

_SPACE_BEFORE = re.compile(r" ([.,;:!?%)\]}]|'s\b|n't\b|'re\b|'ve\b|'ll\b|'d\b|'m\b)")
_SPACE_AFTER = re.compile(r"([(\[{$]) ")


def detokenise(tokens: list[str]) -> str:
    """Join the tokens of a tokenised corpus into readable text (spaces before punctuation go)."""
    text = " ".join(tokens)
    text = _SPACE_BEFORE.sub(r"\1", text)
    return _SPACE_AFTER.sub(r"\1", text)


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().splitlines())


def _geo_articles(path: Path, corpus: str) -> Iterator[SourceArticle]:
    root = ElementTree.parse(path).getroot()
    for node in root.iter("article"):
        doc_id = node.get("docid") or node.get("file")
        text = _clean(node.findtext("text") or "")
        date = _iso_day((node.findtext("dltime") or "").strip()[:10])
        title = (node.findtext("title") or "").strip() or None
        url = (node.findtext("url") or node.findtext("link") or "").strip() or None
        yield SourceArticle(f"{corpus}-{doc_id}", corpus, text, text, "text", date, title, url)


def _iso_day(value: str) -> str | None:
    """A YYYY-MM-DD date, or None (TR-News writes some download times without a year)."""
    return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


_REUTERS = re.compile(r"<REUTERS[^>]*NEWID=\"(\d+)\"[^>]*>(.*?)</REUTERS>", re.S)
_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]


def _tag(body: str, tag: str) -> str:
    found = re.search(rf"<{tag}>(.*?)</{tag}>", body, re.S)
    return unescape(found.group(1)) if found else ""


def _reuters_date(raw: str) -> str | None:
    found = re.match(r"\s*(\d{1,2})-([A-Z]{3})-(\d{4})", raw)
    if not found or found.group(2) not in _MONTHS:
        return None
    month = _MONTHS.index(found.group(2)) + 1
    return f"{found.group(3)}-{month:02d}-{int(found.group(1)):02d}"


def _reuters(path: Path) -> Iterator[SourceArticle]:
    raw = path.read_bytes().decode("latin-1")
    for new_id, body in _REUTERS.findall(raw):
        text = _tag(body, "BODY").replace("\x03", "").strip()
        text = re.sub(r"\s*Reuter\s*$", "", text)
        if not text:
            continue
        text = re.sub(r"[ \t]*\n[ \t]*(?=\S)", " ", text).replace("  ", " ")
        title = _tag(body, "TITLE").strip() or None
        date = _reuters_date(_tag(body, "DATE"))
        yield SourceArticle(f"reuters-{new_id}", "reuters", text, text, "text", date, title)


def _ecbplus(path: Path) -> Iterator[SourceArticle]:
    with zipfile.ZipFile(path) as archive:
        for name in sorted(n for n in archive.namelist() if n.endswith(".xml")):
            root = ElementTree.fromstring(archive.read(name))
            sentences: dict[int, list[str]] = {}
            for token in root.iter("token"):
                sentences.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
            text = "\n".join(detokenise(sentences[k]) for k in sorted(sentences))
            doc = Path(name).stem
            yield SourceArticle(f"ecbplus-{doc}", "ecbplus", text, text, "text", None)


def _wikinews(folder: Path) -> Iterator[SourceArticle]:
    for path in sorted(folder.glob("corpus_*/corpus_trackA_TimeML/*.tml")):
        root = ElementTree.parse(path).getroot()
        dct = root.find("DCT/TIMEX3")
        lines = [detokenise((s.text or "").split()) for s in root.iter("s")]
        text = "\n".join(line for line in lines if line)
        doc_id = path.stem.split("_", 1)[0]
        date = dct.get("value") if dct is not None else None
        yield SourceArticle(f"wikinews-{doc_id}", "wikinews", text, text, "text", date, lines[0])


def _page_title(page: str) -> str | None:
    parser = lxml_html.HTMLParser(encoding="utf-8")
    tree = lxml_html.document_fromstring(page.encode("utf-8"), parser=parser)
    for xpath in ('//meta[@property="og:title"]/@content', "//title/text()", "//h1//text()"):
        found = [v.strip() for v in tree.xpath(xpath) if v.strip()]
        if found:
            return found[0]
    return None


def _aeb(folder: Path) -> Iterator[SourceArticle]:
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(gold):
        page = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        html = page.decode("utf-8", errors="replace")
        title = _page_title(html)
        body = _clean(gold[page_id]["articleBody"])
        text = f"{title}\n\n{body}" if title else body
        url = gold[page_id].get("url")
        yield SourceArticle(f"aeb-{page_id[:12]}", "aeb", text, html, "html", None, title, url)


def _fundus_text(version: dict) -> str:
    parts = [version.get("title") or ""]
    body = version.get("body") or {}
    parts += body.get("summary") or []
    for section in body.get("sections") or []:
        parts += section.get("headline") or []
        parts += section.get("paragraphs") or []
    return "\n\n".join(_clean(p) for p in parts if p and p.strip())


def _fundus(folder: Path) -> Iterator[SourceArticle]:
    """Fundus fixtures: ``<Outlet>.json`` holds one parser version per page, in date order."""
    for outlet_file in sorted(folder.glob("*/*.json")):
        meta = json.loads((outlet_file.parent / "meta.info").read_text(encoding="utf-8"))
        outlet = outlet_file.stem
        pages = sorted(p for p in meta if p.startswith(outlet + "_"))
        versions = json.loads(outlet_file.read_text(encoding="utf-8"))
        for page, version in zip(pages, versions.values(), strict=False):
            html = gzip.decompress((outlet_file.parent / page).read_bytes())
            published = version.get("publishing_date")
            yield SourceArticle(
                key=f"fundus-{page.removesuffix('.html.gz')}",
                corpus="fundus",
                text=_fundus_text(version),
                input=html.decode("utf-8", errors="replace"),
                input_kind="html",
                published=str(published)[:10] if published else None,
                title=version.get("title"),
                url=meta[page].get("url"),
                topics=" ".join(version.get("topics") or []),
            )


def iter_corpus(data_dir: Path, corpus: str) -> Iterator[SourceArticle]:
    """Every article of one corpus under ``data_dir`` (``../shared/eval``)."""
    geo = data_dir / "geoparsing-news"
    readers = {
        "trnews": lambda: _geo_articles(geo / "TR-News.xml", "trnews"),
        "lgl": lambda: _geo_articles(geo / "lgl.xml", "lgl"),
        "gwn": lambda: _geo_articles(geo / "GeoWebNews_GWN.xml", "gwn"),
        "reuters": lambda: _reuters(data_dir / "news-load-reuters21578" / "reut2-000.sgm"),
        "ecbplus": lambda: _ecbplus(data_dir / "ecbplus" / "ECB+.zip"),
        "wikinews": lambda: _wikinews(data_dir / "semeval2015-timeline-wikinews"),
        "aeb": lambda: _aeb(data_dir / "article-extraction-benchmark"),
        "fundus": lambda: _fundus(data_dir / "fundus-news-pages"),
    }
    return readers[corpus]()


def load_articles(data_dir: Path, keys: set[str]) -> dict[str, SourceArticle]:
    """The source articles named by ``keys`` (reading only the corpora they come from)."""
    wanted = {key.split("-", 1)[0] for key in keys}
    found: dict[str, SourceArticle] = {}
    for corpus in CORPORA:
        if corpus in wanted:
            found.update((a.key, a) for a in iter_corpus(data_dir, corpus) if a.key in keys)
    return found
