"""Exports of a store: records (JSONL), events (GDELT-like CSV, Parquet, PLOVER JSON) and the
actor network (GraphML, GEXF, node-link JSON, CSV edge list).

* ``jsonl``: one full ArticleRecord per line, exactly the ``eventwire extract`` format.
* ``events``: one event per line in the read layer's JSON shape, the same as ``eventwire events
  --json`` and the desk's ``/api/events`` (analysts' corrections applied).
* ``csv`` / ``parquet``: one row per event, GDELT-like column names (``GLOBALEVENTID``,
  ``SQLDATE``, ``Actor1Name``, ``ActionGeo_Lat`` ...) plus eventwire's own (``PLOVERType``,
  ``Evidence``, ``Modality``, ...). Parquet needs the ``parquet`` extra (pyarrow).
* ``plover``: one PLOVER JSON object per line, with the field names of the PLOVER manual's
  JSON table (``id``, ``date``, ``actor``, ``recipient``, ``event``, ``mode``, ``context``,
  ``event_loc``, ``event_text``, ``text``, ``text_info``, ``cite_info``, ``coder``).

Writers take an open binary or text stream and never print. Every CSV (events, network edges,
the desk's downloads) is safe to open in a spreadsheet: a spreadsheet reads a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (in some, a tab or carriage return) as a formula, and a formula
in text scraped from the web can run commands or leak data when an analyst opens the file (CSV
injection). Such text cells are written with a leading single quote, which spreadsheets show as
text; numbers are written as they are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import IO, Any

from eventwire.query.corpus import iter_events
from eventwire.query.corpus import network as read_network
from eventwire.query.filters import EventFilter
from eventwire.store.db import Store

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "DateGranularity",
    "Actor1Name", "Actor1ID", "Actor1CountryCode", "Actor2Name", "Actor2ID", "Actor2CountryCode",
    "EventCode", "PLOVERType", "Mode", "Context", "Modality",
    "NumArticles", "NumSources", "StoryID",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
    "DATEADDED", "SOURCEURL", "Source", "ArticleID", "Trigger", "Evidence", "Confidence",
)  # fmt: skip
FORMATS = ("jsonl", "events", "csv", "parquet", "plover")
#: The most edges a network export holds (the heaviest; the desk shows at most 1,000).
MAX_EDGES = 1_000_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NETWORK_FORMATS = ("graphml", "gexf", "json", "csv")


def cell(value: Any) -> Any:
    """``value`` with a leading ``'`` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document of ``rows`` under ``header``, every text cell made formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([cell(v) for v in row] for row in rows)
    return out.getvalue()


def _first(actors: list[dict[str, Any]], key: str) -> Any:
    return actors[0].get(key) if actors else None


def _names(actors: list[dict[str, Any]]) -> str:
    return "; ".join(a["name"] or "" for a in actors)


def _day(event: dict[str, Any]) -> tuple[str, str]:
    """The event's own date and its granularity, else its article's publication date."""
    own = event["date"] or {}
    if own.get("value"):
        return own["value"], own.get("granularity") or ""
    return event["article"]["published"] or "", "publication"


def gdelt_row(
    event: dict[str, Any], countries: dict[str, str | None], stories: dict[int, tuple[int, int]]
) -> dict[str, Any]:
    """One event (the read layer's shape, corrections applied) as a GDELT-like CSV row."""
    src, tgt = event["actors"].get("source", []), event["actors"].get("target", [])
    counts = stories.get(event["story_id"] or -1, (1, 1))
    day, granularity = _day(event)
    loc = event["location"] or {}
    article = event["article"]
    return {
        "GLOBALEVENTID": event["pk"], "SQLDATE": day[:10].replace("-", ""),
        "DateGranularity": granularity,
        "Actor1Name": _names(src), "Actor1ID": _first(src, "key"),
        "Actor1CountryCode": countries.get(_first(src, "key") or ""),
        "Actor2Name": _names(tgt), "Actor2ID": _first(tgt, "key"),
        "Actor2CountryCode": countries.get(_first(tgt, "key") or ""),
        "EventCode": event["cameo"], "PLOVERType": event["type"], "Mode": event["mode"],
        "Context": ";".join(event["context"] or []), "Modality": event["modality"],
        "NumArticles": counts[0], "NumSources": counts[1], "StoryID": event["story_id"],
        "ActionGeo_FullName": loc.get("name"), "ActionGeo_CountryCode": loc.get("country"),
        "ActionGeo_Lat": loc.get("lat"), "ActionGeo_Long": loc.get("lon"),
        "DATEADDED": (article["published"] or "")[:10].replace("-", ""),
        "SOURCEURL": article.get("url"), "Source": article["source"],
        "ArticleID": article["id"], "Trigger": event["trigger"]["text"],
        "Evidence": event["evidence"]["text"], "Confidence": event["confidence"],
    }  # fmt: skip


def _lookups(store: Store) -> tuple[dict[str, str | None], dict[int, tuple[int, int]]]:
    """Actor countries and story report counts, loaded once per export."""
    from sqlalchemy import select

    from eventwire.store.schema import ActorRow, StoryRow

    with store.session() as session:
        countries = {f"a{i}": c for i, c in session.execute(select(ActorRow.id, ActorRow.country))}
        stories = {
            sid: (articles, sources)
            for sid, articles, sources in session.execute(
                select(StoryRow.id, StoryRow.article_count, StoryRow.source_count)
            )
        }
    return countries, stories


def gdelt_rows(store: Store, where: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    countries, stories = _lookups(store)
    for event in iter_events(store, where):
        yield gdelt_row(event, countries, stories)


def write_csv(store: Store, out: IO[str], where: EventFilter | None = None) -> int:
    writer = csv.DictWriter(out, fieldnames=GDELT_COLUMNS)
    writer.writeheader()
    count = 0
    for row in gdelt_rows(store, where):
        writer.writerow({k: cell(v) for k, v in row.items()})
        count += 1
    return count


def write_parquet(store: Store, path: str, where: EventFilter | None = None) -> int:
    """The CSV's rows as a Parquet file (needs pyarrow: ``pip install eventwire[parquet]``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = list(gdelt_rows(store, where))
    columns = {name: [row[name] for row in rows] for name in GDELT_COLUMNS}
    pq.write_table(pa.table(columns), path)
    return len(rows)


def plover_record(event: dict[str, Any]) -> dict[str, Any]:
    """One event in PLOVER JSON (field names from the PLOVER manual's JSON table)."""

    def entities(actors: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"entity_text": a["name"], "identifier_id": a["key"]} for a in actors]

    loc = event["location"]
    article = event["article"]
    return {
        "id": f"eventwire-{event['pk']}",
        "has_event": True,
        "date": _day(event)[0][:10],
        "actor": entities(event["actors"].get("source", [])),
        "recipient": entities(event["actors"].get("target", [])),
        "event": [event["type"]],
        "mode": [event["mode"]] if event["mode"] else [],
        "context": list(event["context"] or []),
        "event_loc": {
            "extracted_place": loc["name"],
            "lat": loc["lat"],
            "lon": loc["lon"],
            "country": loc["country"],
        }
        if loc and loc.get("name")
        else None,  # fmt: skip
        "event_text": [event["trigger"]["text"]],
        "text": event["evidence"]["text"],
        "link": f"story-{event['story_id']}" if event["story_id"] else None,
        "cite_info": {
            "url": article.get("url"),
            "publication": article["source"],
            "coder": "eventwire",
        },  # fmt: skip
        "comment": f"modality={event['modality']}; cameo={event['cameo']}; article={article['id']}",
    }


def write_events(store: Store, out: IO[str], where: EventFilter | None = None) -> int:
    """Every matching event as one JSON line, in the shape of ``eventwire events --json`` and
    the desk's ``/api/events`` (corrections applied, with the notes that changed it)."""
    count = 0
    for event in iter_events(store, where):
        out.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
        count += 1
    return count


def write_plover(store: Store, out: IO[str], where: EventFilter | None = None) -> int:
    count = 0
    for event in iter_events(store, where):
        out.write(json.dumps(plover_record(event), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_jsonl(store: Store, out: IO[str]) -> int:
    """Every stored ArticleRecord, one per line."""
    from eventwire.store.read import iter_records

    count = 0
    with store.session() as session:
        for record in iter_records(session):
            out.write(record.to_json(indent=None) + "\n")
            count += 1
    return count


def network_graph(store: Store, where: EventFilter | None = None) -> Any:
    """A networkx DiGraph of the read layer's network (corrections applied): actors as nodes
    (by actor key), source->target edges weighted by event count, with their categories."""
    import networkx as nx

    found = read_network(store, where or EventFilter(), max_edges=MAX_EDGES)
    graph = nx.DiGraph()
    for node in found["nodes"]:
        graph.add_node(node["key"], label=node["name"], weight=node["weight"])
    for edge in found["edges"]:
        types = ";".join(f"{k}:{v}" for k, v in sorted(edge["types"].items()))
        graph.add_edge(edge["source"], edge["target"], weight=edge["weight"], types=types)
    return graph


def write_network(store: Store, out: IO[bytes], fmt: str, where: EventFilter | None = None) -> int:
    """Write the actor network as GraphML, GEXF, node-link JSON or a CSV edge list."""
    import networkx as nx

    graph = network_graph(store, where)
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    elif fmt == "gexf":
        nx.write_gexf(graph, out)
    elif fmt == "json":
        out.write(json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False).encode())
    else:
        out.write(_edge_csv(graph).encode())
    return graph.number_of_edges()


def _edge_csv(graph: Any) -> str:
    header = ["source_id", "source", "target_id", "target", "weight", "types"]
    rows = (
        [s, graph.nodes[s].get("label"), t, graph.nodes[t].get("label"), d["weight"], d["types"]]
        for s, t, d in graph.edges(data=True)
    )
    return csv_text(header, rows)
