"""Build ``src/eventwire/data/first_names.tsv``: first names whose bearers are nearly all of one
gender, for pronoun agreement in :mod:`eventwire.extract.coref`.

Source: the US Census Bureau's 1990 lists of frequently occurring first names
(``dist.male.first``, ``dist.female.first``; public domain, as shipped for instance in the
``names`` package on PyPI). A name is kept when one gender's share of bearers is at least
:data:`RATIO` times the other's (the lists give the percentage of each sex's population; men
and women are taken as equally many), so "Jordan" or "Taylor" are left out. Names outside the
lists (most non-US names) have no entry: coreference then reads gender from the text alone.

Usage: ``python scripts/build_first_names.py DIR`` with DIR holding the two census files.
"""

from __future__ import annotations

import sys
from pathlib import Path

RATIO = 10.0
OUT = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "first_names.tsv"


def read_list(path: Path) -> dict[str, float]:
    shares: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            shares[parts[0].lower()] = float(parts[1])
    return shares


def build(folder: Path) -> list[tuple[str, str]]:
    male = read_list(folder / "dist.male.first")
    female = read_list(folder / "dist.female.first")
    rows = []
    for name in sorted(set(male) | set(female)):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= RATIO * f:
            rows.append((name, "m"))
        elif f >= RATIO * m:
            rows.append((name, "f"))
    return rows


def main() -> None:
    rows = build(Path(sys.argv[1]))
    header = (
        "# First names and the gender nearly all their bearers have (m/f), from the US Census\n"
        "# Bureau's 1990 first-name lists (public domain); built by scripts/build_first_names.py\n"
    )
    OUT.write_text(header + "".join(f"{n}\t{g}\n" for n, g in rows), encoding="utf-8")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    main()
