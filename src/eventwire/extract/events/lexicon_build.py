"""Build the shipped PLOVER data files from their public sources (run by maintainers, not users).

``python -m eventwire.extract.events.lexicon_build SHARED_DIR`` reads the PLOVER manual
(CC BY-SA 4.0), the CAMEO->PLOVER table (CC BY-SA 4.0) and the PETRARCH2/Phoenix CAMEO verb
dictionary (MIT) and writes ``categories.yaml``, ``cameo_plover.tsv`` and ``petrarch_verbs.tsv``
under ``eventwire/data/plover``. The hand-curated files (``curated_verbs.tsv``,
``nouns.tsv``) are edited by hand and never overwritten. Kept as code so that the derivation is
reproducible and reviewable rather than a one-off edit.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

from eventwire.extract.events.lexicon import DATA_DIR, PLOVER_TYPES

_SECTION = re.compile(r"^\\section\{([A-Z]+)\}")
_CONTEXT_ROW = re.compile(r"^\\hyperref\[[^\]]+\]\{([a-z_\\]+)\}\s*&|^([a-z_]+)\s*&")
_MODE_ROW = re.compile(r"^([a-z][a-z\-_ ]*?)\s*&\s*(.+?)\s*\\\\\s*$")
_CAMEO_ROW = re.compile(r"^(\d{2,4}):\s*([A-Z]+)\s*,([^,#]*),?([^#]*)#?\s*(.*)$")
_BLOCK = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]\s+---")
_PREPOSITIONS = {
    "at",
    "on",
    "with",
    "against",
    "to",
    "for",
    "from",
    "into",
    "in",
    "of",
    "by",
    "about",
    "over",
    "upon",
    "toward",
    "towards",
    "between",
    "onto",
    "under",
}
_CODE = re.compile(r"\[([0-9\-]{2,4}|---)(?::[0-9\-]*)?\]")


def _clean_tex(text: str) -> str:
    text = re.sub(r"\\[a-zA-Z]+\{([^}]*)\}", r"\1", text)
    return text.replace("``", '"').replace("''", '"').replace("\\_", "_").strip()


def parse_manual(path: Path) -> dict:
    """Categories with their modes (from each section's mode table) and the general contexts."""
    categories: dict[str, dict] = {}
    contexts: dict[str, str] = {}
    current = None
    in_table = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := _SECTION.match(line):
            current = match.group(1) if match.group(1) in PLOVER_TYPES else None
            if current:
                categories[current] = {"modes": {}}
            continue
        if "Name & Content" in line:
            in_table = True
            continue
        if line.startswith("\\end{"):
            in_table = False
        if not in_table or line.startswith("%"):
            continue
        _read_table_row(line, current, categories, contexts)
    return {"categories": categories, "contexts": contexts}


def _read_table_row(line: str, current: str | None, categories: dict, contexts: dict) -> None:
    if current is None:
        match = _CONTEXT_ROW.match(line)
        if match:
            name = (match.group(1) or match.group(2)).replace("\\_", "_")
            contexts[name] = _clean_tex(line.split("&", 1)[1].rstrip("\\ "))
        return
    match = _MODE_ROW.match(line)
    if match:
        categories[current]["modes"][match.group(1).strip()] = _clean_tex(match.group(2))


def parse_cameo_plover(path: Path) -> list[list[str]]:
    """Rows (cameo, plover, mode, contexts, description) of the 2021 conversion table."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _CAMEO_ROW.match(line.strip())
        if not match or match.group(2) not in PLOVER_TYPES:
            continue
        code, plover, mode, ctx, desc = (g.strip() for g in match.groups())
        contexts = ";".join(c.strip() for c in ctx.split(";") if c.strip())
        rows.append([code, plover, mode, contexts, desc])
    return rows


def parse_petrarch_verbs(path: Path) -> tuple[list[list[str]], list[list[str]], dict]:
    """Verb rows (verb, block, cameo), pattern rows (block, prep, object, cameo) and synsets.

    Only post-verb patterns are kept (``- * OBJ (PREP NOUN) [code]``): the parse gives us the
    object and the preposition, which is what these patterns describe. ``---`` codes are kept
    as an empty cameo: they mark verb+object pairs that are *not* events. Patterns stay
    attached to their verb block (as in the source) so the file stays small.
    """
    lines = path.read_text(encoding="latin-1").splitlines()
    synsets = _read_synsets(lines)
    start = next(
        (
            i - bool(_BLOCK.match(line))
            for i, line in enumerate(lines)
            if "VERB PATTERNS" in line or _BLOCK.match(line)
        ),
        len(lines),
    )
    verbs: list[list[str]] = []
    patterns: list[list[str]] = []
    block, block_code = "", ""
    for raw in lines[start + 1 :]:
        line = raw.split("#", 1)[0].rstrip()
        if raw.startswith("#######"):
            break
        if match := _BLOCK.match(raw):
            block, block_code = match.group(1).lower(), _code(match.group(2))
        elif line.startswith("- "):
            patterns.extend([block, *row] for row in _pattern_rows(line))
        elif line.strip() and not line.startswith(("~", "&", "-")):
            verb, code = _verb_entry(line)
            if verb:
                verbs.append([verb, block, code if code is not None else block_code])
    return verbs, patterns, synsets


def _read_synsets(lines: list[str]) -> dict[str, list[str]]:
    synsets: dict[str, list[str]] = {}
    name = None
    for line in lines:
        if "VERB PATTERNS" in line or _BLOCK.match(line):
            break
        if line.startswith("&"):
            name = line.split()[0].rstrip("_")
            synsets[name] = []
        elif line.startswith("+") and name:
            synsets[name].append(
                line[1:].split("#")[0].strip().rstrip("_").replace("_", " ").lower()
            )
    return synsets


def _code(text: str) -> str:
    code = text.split(":")[0].strip()
    return "" if code.startswith("-") or not code.isdigit() else code


def _verb_entry(line: str) -> tuple[str, str | None]:
    head = re.sub(r"\{[^}]*\}", " ", line)
    match = _CODE.search(head)
    code = _code(match.group(1)) if match else None
    word = _CODE.sub("", head).strip().split()
    if not word:
        return "", None
    verb = word[0].replace("+", "").replace("_", " ").lower()
    return (verb if re.fullmatch(r"[a-z][a-z \-]*", verb) else ""), code


def _pattern_rows(line: str) -> list[list[str]]:
    match = _CODE.search(line)
    if not match:
        return []
    body = line[2 : match.start()].strip()
    if not body.startswith("*") or "$" in body or "+" in body or "%" in body or "^" in body:
        return []
    obj, prep = _pattern_parts(body[1:].strip())
    if obj in _PREPOSITIONS and not prep:
        obj, prep = "", obj
    return [[prep, obj, _code(match.group(1))]]


def _pattern_parts(post: str) -> tuple[str, str]:
    """The object head and the preposition of a post-verb pattern ('' when absent)."""
    paren = re.search(r"\(([^)]*)\)", post)
    prep = ""
    bare = re.sub(r"\([^)]*\)", " ", post)
    if paren:
        words = paren.group(1).replace("{", "").replace("}", "").split()
        prep = words[0].lower() if words else ""
        if not bare.strip() and len(words) > 1:
            bare = words[-1]
    bare_words = bare.replace("{", " ").replace("}", " ").split()
    obj = bare_words[-1] if bare_words else ""
    return (obj if obj.startswith("&") else obj.lower()), prep


def write_tsv(path: Path, header: list[str], rows: list[list[str]], comment: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(comment)
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(sorted({tuple(r) for r in rows}))


def build(shared: Path, out: Path = DATA_DIR) -> None:
    """Regenerate the derived data files from the shared sources."""
    manual = parse_manual(shared / "eval/plover-gsr/PLOVER_MANUAL.tex")
    header = {
        "version": 1,
        "source": "PLOVER manual (openeventdata/PLOVER 5e0c24f)",
        "licence": "CC BY-SA 4.0",
    }
    with (out / "categories.yaml").open("w", encoding="utf-8") as handle:
        yaml.safe_dump({**header, **manual}, handle, sort_keys=False, allow_unicode=True)
    cameo = parse_cameo_plover(shared / "eval/plover-gsr/CAMEO2PLOVER-2021.txt")
    write_tsv(
        out / "cameo_plover.tsv",
        ["cameo", "type", "mode", "contexts", "description"],
        cameo,
        "# version: 1\n# source: CAMEO2PLOVER-2021.txt (PLOVER, CC BY-SA 4.0)\n",
    )
    verbs, patterns, synsets = parse_petrarch_verbs(
        shared / "lexicons/petrarch2-phoenix/CAMEO.2.0.txt"
    )
    note = (
        "# version: 1\n# source: PETRARCH2/Phoenix CAMEO.2.0.txt (MIT, Open Event Data Alliance)\n"
    )
    write_tsv(
        out / "petrarch_verbs.tsv",
        ["verb", "block", "cameo"],
        verbs,
        note + "# empty cameo = the bare verb is not an event\n",
    )
    write_tsv(
        out / "petrarch_patterns.tsv",
        ["block", "prep", "object", "cameo"],
        patterns,
        note + "# object &NAME = any word of that synset (petrarch_synsets.yaml); "
        "empty cameo = not an event\n",
    )
    with (out / "petrarch_synsets.yaml").open("w", encoding="utf-8") as handle:
        yaml.safe_dump(
            {"version": 1, "source": "PETRARCH2/Phoenix CAMEO.2.0.txt (MIT)", "synsets": synsets},
            handle,
            sort_keys=True,
        )


if __name__ == "__main__":
    build(Path(sys.argv[1]))
