"""Exports of a store: records (JSONL), events (GDELT-like CSV, Parquet, PLOVER JSON) and the
actor network (GraphML, GEXF, node-link JSON, CSV edge list).

* ``jsonl``: one full ArticleRecord per line, exactly the ``eventwire extract`` format.
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

from eventwire.store.db import Store
from eventwire.store.queries import EventFilter, Page, actor_nodes, events, network_edges

GDELT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "DateGranularity",
    "Actor1Name", "Actor1ID", "Actor1CountryCode", "Actor2Name", "Actor2ID", "Actor2CountryCode",
    "EventCode", "PLOVERType", "Mode", "Context", "Modality",
    "NumArticles", "NumSources", "StoryID",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long",
    "DATEADDED", "SOURCEURL", "Source", "ArticleID", "Trigger", "Evidence", "Confidence",
)  # fmt: skip
FORMATS = ("jsonl", "csv", "parquet", "plover")
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


def iter_events(
    store: Store, where: EventFilter | None = None, *, page: int = 1000
) -> Iterator[dict[str, Any]]:
    """Every event matching ``where``, page by page (query dicts with actors)."""
    where = where or EventFilter()
    offset = 0
    while True:
        result: Page = events(store, where, limit=page, offset=offset)
        yield from result.items
        offset += page
        if offset >= result.total or not result.items:
            return


def _first(actors: list[dict[str, Any]], key: str) -> Any:
    return actors[0].get(key) if actors else None


def gdelt_row(
    event: dict[str, Any], countries: dict[int, str | None], stories: dict[int, tuple[int, int]]
) -> dict[str, Any]:
    """One event as a GDELT-like CSV row."""
    src, tgt = event["source_actors"], event["target_actors"]
    counts = stories.get(event["story_id"] or -1, (1, 1))
    return {
        "GLOBALEVENTID": event["id"], "SQLDATE": (event["date"] or "")[:10].replace("-", ""),
        "DateGranularity": event["date_granularity"],
        "Actor1Name": "; ".join(a["name"] or "" for a in src), "Actor1ID": _first(src, "id"),
        "Actor1CountryCode": countries.get(_first(src, "id") or -1),
        "Actor2Name": "; ".join(a["name"] or "" for a in tgt), "Actor2ID": _first(tgt, "id"),
        "Actor2CountryCode": countries.get(_first(tgt, "id") or -1),
        "EventCode": event["cameo"], "PLOVERType": event["type"], "Mode": event["mode"],
        "Context": ";".join(event["context"] or []), "Modality": event["modality"],
        "NumArticles": counts[0], "NumSources": counts[1], "StoryID": event["story_id"],
        "ActionGeo_FullName": event["place"], "ActionGeo_CountryCode": event["country"],
        "ActionGeo_Lat": event["lat"], "ActionGeo_Long": event["lon"],
        "DATEADDED": (event["published"] or "")[:10].replace("-", ""), "SOURCEURL": event["url"],
        "Source": event["source"], "ArticleID": event["article_id"], "Trigger": event["trigger"],
        "Evidence": event["evidence"], "Confidence": event["confidence"],
    }  # fmt: skip


def _lookups(store: Store) -> tuple[dict[int, str | None], dict[int, tuple[int, int]]]:
    """Actor countries and story report counts, loaded once per export."""
    from sqlalchemy import select

    from eventwire.store.schema import ActorRow, StoryRow

    with store.session() as session:
        countries = {i: c for i, c in session.execute(select(ActorRow.id, ActorRow.country))}
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
        return [{"entity_text": a["name"], "identifier_id": a["id"]} for a in actors]

    date = event["date"] or ""
    return {
        "id": f"eventwire-{event['id']}",
        "has_event": True,
        "date": date[:10],
        "actor": entities(event["source_actors"]),
        "recipient": entities(event["target_actors"]),
        "event": [event["type"]],
        "mode": [event["mode"]] if event["mode"] else [],
        "context": list(event["context"] or []),
        "event_loc": {
            "extracted_place": event["place"],
            "lat": event["lat"],
            "lon": event["lon"],
            "country": event["country"],
        }
        if event["place"]
        else None,  # fmt: skip
        "event_text": [event["trigger"]],
        "text": event["evidence"],
        "link": f"story-{event['story_id']}" if event["story_id"] else None,
        "cite_info": {"url": event["url"], "publication": event["source"], "coder": "eventwire"},
        "comment": f"modality={event['modality']}; cameo={event['cameo']}; article={event['article_id']}",
    }


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
    """A networkx DiGraph: actors as nodes, source->target edges weighted by event count."""
    import networkx as nx

    edges = network_edges(store, where or EventFilter())
    graph = nx.DiGraph()
    ids = {e["source"] for e in edges} | {e["target"] for e in edges}
    for actor in actor_nodes(store, ids):
        graph.add_node(actor["id"], label=actor["name"], type=actor["type"],
                       country=actor["country"] or "", articles=actor["articles"])  # fmt: skip
    for edge in edges:
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
