"""The JSON Schema of the ArticleRecord, derived from the record dataclasses themselves.

Deriving it (rather than keeping a hand-written copy) means the published schema cannot drift
from the code; the enumerations below pin the closed vocabularies of the contract.
"""

from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from typing import Any

from eventwire import record as rec

SCHEMA_ID = "https://eventwire.invalid/schema/article-record.json"

#: (record class, field) -> the closed vocabulary the contract allows there.
ENUMS: dict[tuple[type, str], tuple[str, ...]] = {
    (rec.Entity, "type"): rec.ENTITY_TYPES,
    (rec.Event, "type"): rec.EVENT_TYPES,
    (rec.Event, "modality"): rec.MODALITIES,
    (rec.EventDate, "granularity"): rec.GRANULARITIES,
    (rec.EventDate, "basis"): rec.DATE_BASES,
    (rec.Article, "published_basis"): rec.PUBLISHED_BASES,
    (rec.Relation, "predicate"): rec.PREDICATES,
    (rec.Event, "date_flag"): rec.DATE_FLAGS,
}
#: Enumerated fields that may also be null.
NULLABLE_ENUMS = {(rec.Event, "date_flag")}

_SCALARS: dict[Any, dict[str, Any]] = {
    str: {"type": "string"},
    int: {"type": "integer"},
    float: {"type": "number"},
    bool: {"type": "boolean"},
}


def _type_schema(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        options = [_type_schema(a, defs) for a in args if a is not type(None)]
        schema = options[0] if len(options) == 1 else {"anyOf": options}
        return {"anyOf": [schema, {"type": "null"}]} if type(None) in args else schema
    if origin is list:
        return {"type": "array", "items": _type_schema(args[0], defs)}
    if is_dataclass(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp in _SCALARS:
        return dict(_SCALARS[tp])
    return {}


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder against recursion
    hints = typing.get_type_hints(cls, localns={})  # not the class dict: "type" is a field
    props: dict[str, Any] = {}
    for f in fields(cls):
        schema = _type_schema(hints[f.name], defs)
        if (cls, f.name) in ENUMS:
            schema = {"enum": list(ENUMS[(cls, f.name)])}
            if (cls, f.name) in NULLABLE_ENUMS:
                schema["enum"].append(None)
        props[f.name] = schema
    required = [f.name for f in fields(cls) if f.name != "error"]
    defs[cls.__name__] = {
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": False,
    }


def record_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every ``ArticleRecord.to_dict()`` validates against."""
    defs: dict[str, Any] = {}
    _define(rec.ArticleRecord, defs)
    root = defs.pop("ArticleRecord")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "eventwire ArticleRecord",
        **root,
        "$defs": defs,
    }


def validate(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``data`` breaks the record contract."""
    import jsonschema

    jsonschema.validate(data, record_schema())
