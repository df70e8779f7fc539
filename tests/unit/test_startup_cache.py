"""The index cache: indexes built once into versioned files, rebuilt when their inputs change,
answering as the tables they were built from."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from eventwire import gazetteer, index_cache


def _builder(calls: list[str], value: str):
    def build(db: sqlite3.Connection) -> None:
        calls.append(value)
        db.execute("CREATE TABLE t (v TEXT)")
        db.execute("INSERT INTO t VALUES (?)", (value,))

    return build


def _value(db: sqlite3.Connection) -> str:
    return db.execute("SELECT v FROM t").fetchone()[0]


def test_an_index_is_built_once_and_rebuilt_when_its_file_changes(tmp_path: Path) -> None:
    source = tmp_path / "table.csv"
    source.write_text("name\nAlpha\n")
    cache, calls = tmp_path / "cache", []

    def open_for_file() -> sqlite3.Connection:
        text = source.read_text()
        key = index_cache.content_key([index_cache.file_digest(text.encode())])
        return index_cache.open_index("t", key, _builder(calls, text), directory=cache)

    assert _value(open_for_file()) == "name\nAlpha\n"
    assert _value(open_for_file()) == "name\nAlpha\n"
    assert len(calls) == 1  # the second open read the built file
    source.write_text("name\nBeta\n")
    assert _value(open_for_file()) == "name\nBeta\n"
    assert len(calls) == 2
    for version in ("Gamma", "Delta", "Epsilon"):
        source.write_text(f"name\n{version}\n")
        assert _value(open_for_file()) == f"name\n{version}\n"
    assert len(calls) == 5
    assert len(list(cache.glob("t-v*.sqlite"))) == index_cache.KEEP_BUILDS  # older builds go


def test_a_format_version_change_makes_a_new_file(tmp_path: Path, monkeypatch) -> None:
    first = index_cache.index_path("t", "k", tmp_path)
    monkeypatch.setattr(index_cache, "FORMAT_VERSION", index_cache.FORMAT_VERSION + 1)
    assert index_cache.index_path("t", "k", tmp_path) != first


def test_an_unwritable_cache_directory_leaves_the_tables_to_the_caller(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    calls: list[str] = []
    assert index_cache.open_index("t", "k", _builder(calls, "x"), directory=blocker / "c") is None


def test_the_gazetteer_answers_with_an_unwritable_cache(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    gazetteer._cached.cache_clear()
    try:
        gaz = gazetteer.load()
        assert not isinstance(gaz, gazetteer.CachedGazetteer)
        assert gaz.lookup("Kabul")[0].country == "AFG"
    finally:
        gazetteer._cached.cache_clear()


def test_an_unfinished_file_is_not_read(tmp_path: Path) -> None:
    """A file without the completion mark (a builder killed before renaming is never visible,
    but a foreign or truncated file may be) is rebuilt, not trusted."""
    path = index_cache.index_path("t", "k", tmp_path)
    sqlite3.connect(path).execute("CREATE TABLE meta (k TEXT, v TEXT)").connection.commit()
    calls: list[str] = []
    assert _value(index_cache.open_index("t", "k", _builder(calls, "y"), directory=tmp_path)) == "y"
    assert calls == ["y"]


def test_the_cache_directory_follows_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path / "ew"))
    assert index_cache.cache_dir() == tmp_path / "ew"
    monkeypatch.delenv("EVENTWIRE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert index_cache.cache_dir() == tmp_path / "xdg" / "eventwire"


@pytest.fixture(scope="module")
def both() -> tuple[gazetteer.Gazetteer, gazetteer.Gazetteer]:
    """The gazetteer built from its tables, and the cached index written from another build."""
    db = sqlite3.connect(":memory:", check_same_thread=False)
    db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)")
    gazetteer.write_index(db, gazetteer.build())
    return gazetteer.build(), gazetteer.CachedGazetteer(db)


def test_the_cached_gazetteer_answers_as_the_tables(both) -> None:
    source, cached = both
    assert len(cached) == len(source)
    assert cached.countries == source.countries
    assert cached.demonyms == source.demonyms
    assert cached.neighbours == source.neighbours
    keys = sorted(source.keys())
    names = [*keys[::41], "Kabul", "the Gaza Strip", "Ky.", "U.S.", "Georgia", "Paris", "Nowhere"]
    for name in names:
        assert cached.lookup(name) == source.lookup(name), name
    for name in ("Lebanese", "Americans", "French", "Paris"):
        assert cached.is_demonym(name) == source.is_demonym(name)
        assert cached.demonym_country(name) == source.demonym_country(name)


def test_a_cached_lookup_gives_the_same_objects(both) -> None:
    _, cached = both
    first, again = cached.lookup("Springfield"), cached.lookup("springfield")
    assert first and all(a is b for a, b in zip(first, again, strict=True))


def test_load_opens_the_built_index_from_the_cache_directory(tmp_path: Path, monkeypatch) -> None:
    """A second process (here: a cleared per-process cache) opens the file instead of building."""
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    gazetteer._cached.cache_clear()
    try:
        first = gazetteer.load()
        built = list(tmp_path.glob("gazetteer-*.sqlite"))
        monkeypatch.setattr(gazetteer, "build", lambda *_: pytest.fail("rebuilt"))
        gazetteer._cached.cache_clear()
        second = gazetteer.load()
        assert isinstance(second, gazetteer.CachedGazetteer)
        assert len(built) == 1
        assert second.lookup("Kabul") == first.lookup("Kabul") != []
    finally:
        gazetteer._cached.cache_clear()


def test_the_gazetteer_index_key_follows_each_table(tmp_path: Path, monkeypatch) -> None:
    """Editing any shipped table (a user's regions.yaml addition) makes a new index."""
    real_files = gazetteer.resources.files
    tables = tmp_path / "data" / "gazetteer"
    tables.mkdir(parents=True)
    for name in gazetteer.SOURCE_FILES:
        (tables / name).write_bytes(
            real_files("eventwire").joinpath(f"data/gazetteer/{name}").read_bytes()
        )

    def files(package: str):
        return tmp_path if package == "eventwire" else real_files(package)

    monkeypatch.setattr(gazetteer.resources, "files", files)
    original = index_cache.content_key(gazetteer._source_parts(1000))
    assert index_cache.content_key(gazetteer._source_parts(1000)) == original
    assert index_cache.content_key(gazetteer._source_parts(5000)) != original
    for name in gazetteer.SOURCE_FILES:
        saved = (tables / name).read_bytes()
        (tables / name).write_bytes(saved + b"\n")
        assert index_cache.content_key(gazetteer._source_parts(1000)) != original, name
        (tables / name).write_bytes(saved)


def test_the_cached_language_model_scores_as_py3langid(tmp_path: Path, monkeypatch) -> None:
    """The identifier opened from the cached, memory-mapped arrays ranks as py3langid's own."""
    from py3langid.langid import MODEL_FILE

    from eventwire.ingest import language

    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    language._identifier.cache_clear()
    try:
        built = language._identifier()  # decompresses into the cache
        language._identifier.cache_clear()
        cached = language._identifier()  # opens the cached arrays
    finally:
        language._identifier.cache_clear()
    assert list(tmp_path.glob("langid-v*/complete"))
    reference = language._Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    texts = [
        "The ministers met on Tuesday and agreed to talk again next month, an aide said.",
        "Los ministros se reunieron el martes y acordaron volver a reunirse.",
        "Die Minister trafen sich am Dienstag und wollen im Mai wieder reden.",
    ]
    for text in texts:
        assert cached.classify(text) == built.classify(text) == reference.classify(text)
        assert cached.rank(text) == reference.rank(text)


def _big_yaml(word: str) -> str:
    return "entries:\n" + "".join(
        f"  - {{name: {word}{i}, weight: {i / 7:.3f}}}\n" for i in range(800)
    )


def test_parsed_yaml_is_kept_and_read_back_equal(tmp_path: Path, monkeypatch) -> None:
    from eventwire import datafiles

    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    text = _big_yaml("alpha")
    assert len(text) >= datafiles.CACHE_MIN_CHARS
    first = datafiles.load_yaml(text)
    assert len(list((tmp_path / "yaml").glob("*.json"))) == 1
    monkeypatch.setattr(datafiles, "_parse", lambda _: pytest.fail("parsed again"))
    assert datafiles.load_yaml(text) == first == datafiles.yaml.safe_load(text)


def test_a_changed_yaml_file_is_parsed_again(tmp_path: Path, monkeypatch) -> None:
    from eventwire import datafiles

    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    datafiles.load_yaml(_big_yaml("alpha"))
    changed = datafiles.load_yaml(_big_yaml("beta"))
    assert changed["entries"][0]["name"] == "beta0"
    assert len(list((tmp_path / "yaml").glob("*.json"))) == 2


def test_yaml_that_json_cannot_give_back_is_not_kept(tmp_path: Path, monkeypatch) -> None:
    """Dates and integer keys would come back as strings from JSON: parsed every time."""
    from eventwire import datafiles

    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path))
    dated = _big_yaml("alpha") + "since: 2024-05-01\n"
    keyed = _big_yaml("alpha") + "codes: {1: one}\n"
    assert datafiles.load_yaml(dated)["since"].isoformat() == "2024-05-01"
    assert datafiles.load_yaml(keyed)["codes"] == {1: "one"}
    assert not list((tmp_path / "yaml").glob("*.json"))


def test_yaml_still_loads_with_an_unwritable_cache(tmp_path: Path, monkeypatch) -> None:
    from eventwire import datafiles

    (tmp_path / "file").write_text("")
    monkeypatch.setenv("EVENTWIRE_CACHE_DIR", str(tmp_path / "file" / "cache"))
    assert datafiles.load_yaml(_big_yaml("alpha"))["entries"][1]["name"] == "alpha1"


def test_a_corrupt_index_file_is_rebuilt(tmp_path: Path) -> None:
    index_cache.index_path("t", "k", tmp_path).write_bytes(b"not a database at all" * 100)
    calls: list[str] = []
    assert _value(index_cache.open_index("t", "k", _builder(calls, "z"), directory=tmp_path)) == "z"
    assert calls == ["z"]


def test_cached_arrays_are_memory_mapped_and_survive_damage(tmp_path: Path) -> None:
    import numpy as np

    calls: list[int] = []

    def build() -> dict[str, np.ndarray]:
        calls.append(1)
        return {"weights": np.arange(12, dtype=np.float32).reshape(3, 4)}

    expected = np.arange(12, dtype=np.float32).reshape(3, 4)
    first = index_cache.cached_arrays("m", "k", build, directory=tmp_path)
    again = index_cache.cached_arrays("m", "k", build, directory=tmp_path)
    assert isinstance(again["weights"], np.memmap) and calls == [1]
    assert np.array_equal(first["weights"], expected)
    assert np.array_equal(again["weights"], expected)
    del first, again  # the maps, before the file is damaged under them
    (next(tmp_path.glob("m-v*")) / "weights.npy").write_bytes(b"\x93NUMPY garbage")
    damaged = index_cache.cached_arrays("m", "k", build, directory=tmp_path)
    assert np.array_equal(damaged["weights"], expected) and calls == [1, 1]
    (tmp_path / "blocked").write_text("")
    unwritable = index_cache.cached_arrays("m", "k", build, directory=tmp_path / "blocked" / "x")
    assert np.array_equal(unwritable["weights"], expected)
