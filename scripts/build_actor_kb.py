"""Generate the shipped country and armed-group tables of the actor knowledge base (run once).

The shipped CSV files under ``src/eventwire/data/actors/`` are the data; this script is how they
were made, kept so that they can be regenerated and audited. Needs ``pycountry`` and
``countryinfo`` (``pip install countryinfo``); neither is needed at run time.

    python scripts/build_actor_kb.py [--phoenix ../shared/lexicons/petrarch2-phoenix]

Countries come from pycountry (ISO names) and countryinfo (alternative spellings, demonym,
capital), plus the hand-kept additions below (common short names, plural and adjectival
demonyms). Armed groups are mined from the PETRARCH2/Phoenix MilNonState actor dictionary (MIT).
"""

from __future__ import annotations

import argparse
import csv
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pycountry
from countryinfo import all_countries

OUT_DIR = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "data" / "actors"
VERSION = "1"

#: Short names and spellings that news uses but the ISO and countryinfo tables lack.
EXTRA_NAMES: dict[str, list[str]] = {
    "USA": ["United States", "U.S.", "U.S.A.", "US", "America", "the States"],
    "GBR": ["Britain", "Great Britain", "U.K.", "UK", "England"],
    "RUS": ["Russia"], "IRN": ["Iran"], "SYR": ["Syria"], "KOR": ["South Korea"],
    "PRK": ["North Korea"], "TWN": ["Taiwan"], "VNM": ["Vietnam"], "LAO": ["Laos"],
    "BOL": ["Bolivia"], "VEN": ["Venezuela"], "TZA": ["Tanzania"], "MDA": ["Moldova"],
    "PSE": ["Palestine", "Palestinian Territories", "Palestinian territories"],
    "COD": ["DR Congo", "DRC", "Democratic Republic of Congo", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville", "Republic of Congo"], "CZE": ["Czech Republic"],
    "CIV": ["Ivory Coast", "Cote d'Ivoire"], "MMR": ["Burma"], "TUR": ["Turkey", "Türkiye"],
    "NLD": ["Holland", "the Netherlands"], "VAT": ["Vatican", "Holy See"], "MKD": ["Macedonia"],
    "SWZ": ["Swaziland"], "CPV": ["Cape Verde"], "TLS": ["East Timor"], "FSM": ["Micronesia"],
    "BRN": ["Brunei"], "ARE": ["UAE", "U.A.E.", "Emirates"], "PHL": ["the Philippines"],
    "SAU": ["Saudi Arabia"], "CHN": ["China", "PRC"], "KOS": ["Kosovo"],
}  # fmt: skip

#: Demonyms/adjectives missing or incomplete in countryinfo (the first one is the main form).
EXTRA_DEMONYMS: dict[str, list[str]] = {
    "USA": ["American"], "GBR": ["British", "Briton", "English"], "PSE": ["Palestinian"],
    "ISR": ["Israeli"], "LBN": ["Lebanese"], "IRN": ["Iranian"], "IRQ": ["Iraqi"],
    "SYR": ["Syrian"], "SAU": ["Saudi", "Saudi Arabian"], "ARE": ["Emirati"],
    "YEM": ["Yemeni"], "AFG": ["Afghan"], "PAK": ["Pakistani"], "NLD": ["Dutch"],
    "CHE": ["Swiss"], "PHL": ["Filipino", "Philippine"], "NZL": ["New Zealander"],
    "KOR": ["South Korean"], "PRK": ["North Korean"], "COD": ["Congolese"],
    "CZE": ["Czech"], "TUR": ["Turkish", "Turk"], "RUS": ["Russian"], "CHN": ["Chinese"],
    "UKR": ["Ukrainian"], "EGY": ["Egyptian"], "JOR": ["Jordanian"], "QAT": ["Qatari"],
    "KWT": ["Kuwaiti"], "BHR": ["Bahraini"], "OMN": ["Omani"], "LBY": ["Libyan"],
    "DEU": ["German"], "FRA": ["French"], "ESP": ["Spanish", "Spaniard"], "ITA": ["Italian"],
    "DNK": ["Danish", "Dane"], "SWE": ["Swedish", "Swede"], "FIN": ["Finnish", "Finn"],
    "NOR": ["Norwegian"], "POL": ["Polish", "Pole"], "IRL": ["Irish"], "PRT": ["Portuguese"],
    "GRC": ["Greek"], "HUN": ["Hungarian"], "BEL": ["Belgian"], "AUT": ["Austrian"],
    "JPN": ["Japanese"], "IND": ["Indian"], "BGD": ["Bangladeshi"], "THA": ["Thai"],
    "VNM": ["Vietnamese"], "KOS": ["Kosovar", "Kosovan"], "SDN": ["Sudanese"],
    "SSD": ["South Sudanese"], "SOM": ["Somali"], "ETH": ["Ethiopian"], "ERI": ["Eritrean"],
}  # fmt: skip

#: The display name where the ISO name is not what English news calls the country.
DISPLAY = {
    "PSE": "Palestine",
    "TUR": "Turkey",
    "IRN": "Iran",
    "RUS": "Russia",
    "SYR": "Syria",
    "KOR": "South Korea",
    "PRK": "North Korea",
    "VNM": "Vietnam",
    "LAO": "Laos",
    "TWN": "Taiwan",
    "BOL": "Bolivia",
    "VEN": "Venezuela",
    "TZA": "Tanzania",
    "MDA": "Moldova",
    "COD": "Democratic Republic of the Congo",
    "CIV": "Ivory Coast",
}

#: Plural forms are generated for demonyms ending in these (Israeli -> Israelis).
_PLURAL_ENDINGS = ("an", "i", "er", "ot", "ch", "ite")
_PUNCT = set(" .,'’()-")


def _latin(name: str) -> bool:
    """True for names written in the Latin script (drops native-script spellings)."""
    return all(ch in _PUNCT or "LATIN" in unicodedata.name(ch, "") for ch in name)


def _clean_name(name: str) -> str:
    """'Palestine, State of' -> 'State of Palestine'; strips the ISO comma inversion."""
    if ", " in name:
        head, tail = name.split(", ", 1)
        return f"{tail} {head}"
    return name


def _names(country: object, info: dict) -> list[str]:
    raw = [
        getattr(country, "common_name", None),
        country.name,  # type: ignore[attr-defined]
        getattr(country, "official_name", None),
        info.get("name"),
    ]
    raw += [s for s in info.get("altSpellings", []) if len(s) > 3]
    raw += EXTRA_NAMES.get(country.alpha_3, [])  # type: ignore[attr-defined]
    names: list[str] = []
    for name in raw:
        if name and _latin(name):
            for variant in (name, _clean_name(name)):
                if variant not in names:
                    names.append(variant)
    return names


def _demonyms(iso3: str, info: dict) -> list[str]:
    forms = list(EXTRA_DEMONYMS.get(iso3, []))
    if info.get("demonym") and info["demonym"] not in forms:
        forms.append(info["demonym"])
    plurals = [f"{d}s" for d in forms if d.endswith(_PLURAL_ENDINGS)]
    return forms + [p for p in plurals if p not in forms]


def country_rows() -> list[dict[str, str]]:
    """One row per ISO 3166-1 country (plus Kosovo), sorted by ISO-3 code."""
    infos = [c.info() for c in all_countries()]
    known = {v["ISO"]["alpha3"]: v for v in infos if v.get("ISO")}
    countries = list(pycountry.countries)
    rows = []
    for country in countries:
        info = known.get(country.alpha_3, {})
        names = _names(country, info)
        if country.alpha_3 in DISPLAY:
            names.insert(0, DISPLAY[country.alpha_3])
        rows.append(
            _row(
                country.alpha_3,
                list(dict.fromkeys(names)),
                _demonyms(country.alpha_3, info),
                info.get("capital") or "",
            )
        )
    rows.append(_row("KOS", ["Kosovo", "Republic of Kosovo"], _demonyms("KOS", {}), "Pristina"))
    return sorted(_unshared(rows), key=lambda r: r["iso3"])


def _unshared(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A demonym or capital claimed by several countries ('American', 'Jerusalem') is kept only
    where the hand-kept list puts it, else dropped: the KB must not guess."""
    demonyms = Counter(d for r in rows for d in r["demonyms"].split("|") if d)
    capitals = Counter(r["capital"] for r in rows if r["capital"])
    for row in rows:
        own = set(EXTRA_DEMONYMS.get(row["iso3"], []))
        own |= {f"{d}s" for d in own}
        kept = [d for d in row["demonyms"].split("|") if d and (demonyms[d] == 1 or d in own)]
        row["demonyms"] = "|".join(kept)
        if capitals[row["capital"]] > 1:
            row["capital"] = ""
    return rows


def _row(iso3: str, names: list[str], demonyms: list[str], capital: str) -> dict[str, str]:
    return {
        "kb_id": f"country:{iso3}",
        "iso3": iso3,
        "name": names[0],
        "aliases": "|".join(names[1:]),
        "demonyms": "|".join(demonyms),
        "capital": capital,
    }


_PHOENIX_SECTORS = ("REB", "MIL", "GOV", "PTY", "OPP", "IMG", "SEP", "UAF")


def _phoenix_name(raw: str) -> tuple[str, str | None]:
    """'BASQUE_FATHERLAND_AND_FREEDOM_(ETA)_' -> ('Basque Fatherland And Freedom', 'ETA')."""
    text = raw.replace("_", " ").strip().strip("+").strip()
    acronym = None
    match = re.search(r"\(([A-Z0-9\-]{2,})\)", text)
    if match:
        acronym = match.group(1)
        text = text.replace(match.group(0), " ")
    small = {"and", "of", "the", "for", "in", "al", "el"}
    words = [
        w.lower() if w.lower() in small and i else "-".join(p.capitalize() for p in w.split("-"))
        for i, w in enumerate(text.split())
    ]
    return " ".join(words), acronym


#: The Phoenix group records also list members' names as synonyms; a mined name is kept only when
#: it is one word (Hamas, Taliban) or names an organisation, so that no person becomes a group alias.
_ORG_WORDS = re.compile(
    r"\b(army|brigades?|battalions?|front|movement|group|organi[sz]ation|party|jihad|qa[e']?ida|"
    r"council|committee|resistance|forces?|union|league|martyrs|liberation|commandos?|cells?|"
    r"nuclei|nucleus|guerrillas?|militia|mujahideen|mujahidin|ansar|hezbollah|hizb|jaish|jaysh|"
    r"lashkar|fighters|revolutionary|people'?s|islamic|national|popular|alliance|network|"
    r"command|squad|tigers|legion|warriors|guard|partisans|faction|tanzim|harakat|kata'?ib)\b",
    re.IGNORECASE,
)


def _keep_mined_name(name: str, *, primary: bool) -> bool:
    return (primary and " " not in name) or bool(_ORG_WORDS.search(name))


def phoenix_group_rows(path: Path) -> list[dict[str, str]]:
    """Records of Phoenix.MilNonState.actors.txt with a country+sector code, as CSV rows."""
    rows: list[dict[str, str]] = []
    block: list[str] = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines() + [""]:
        text = line.split("#", 1)[0].rstrip()
        if text.strip():
            block.append(text)
            continue
        if block:
            row = _phoenix_block(block)
            if row:
                rows.append(row)
            block = []
    return rows


def _phoenix_block(block: list[str]) -> dict[str, str] | None:
    codes = re.findall(r"\[([A-Z]{3})([A-Z]{3})?[A-Z]*", " ".join(block))
    if not codes:
        return None
    country, sector = codes[0]
    names, acronyms = [], []
    for line in block:
        phrase = re.sub(r"\[.*?\]", "", line).strip()
        if not phrase:
            continue
        name, acronym = _phoenix_name(phrase)
        if len(name) >= 5 and _keep_mined_name(name, primary=not names) and name not in names:
            names.append(name)
        if acronym and acronym not in acronyms:
            acronyms.append(acronym)
    if not names:
        return None
    iso3 = country if pycountry.countries.get(alpha_3=country) else ""
    slug = re.sub(r"[^a-z0-9]+", "-", names[0].lower()).strip("-")
    return {
        "kb_id": f"phoenix:{slug}",
        "name": names[0],
        "type": "ORG",
        "kind": "armed_group",
        "aliases": "|".join(names[1:] + acronyms),
        "country": iso3,
        "sector": sector if sector in _PHOENIX_SECTORS else "REB",
    }


def write_csv(path: Path, rows: list[dict[str, str]], comment: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(f"# {comment}\n# version: {VERSION}\n")
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default = Path(__file__).resolve().parents[2] / "shared" / "lexicons" / "petrarch2-phoenix"
    parser.add_argument("--phoenix", type=Path, default=default)
    args = parser.parse_args()
    write_csv(
        OUT_DIR / "countries.csv",
        country_rows(),
        "eventwire countries: pycountry + countryinfo + hand additions",
    )
    mined = phoenix_group_rows(args.phoenix / "Phoenix.MilNonState.actors.txt")
    write_csv(
        OUT_DIR / "phoenix_armed_groups.csv",
        mined,
        "mined from PETRARCH2 Phoenix.MilNonState.actors.txt (MIT, Open Event Data Alliance)",
    )


if __name__ == "__main__":
    main()
