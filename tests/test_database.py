"""The SQLite database of the release: every resource a table with its keys, column
descriptions, a full-text index that works in every script, views that count as the
statistics do, Datasette metadata; byte-identical on rebuild; served by Datasette."""

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import polars as pl
import pytest

from scamstats import database, metadata, stats
from scamstats.package import load_package

DATASETTE = Path(sys.executable).parent / "datasette"
# Words from quotes in the package, one per script without spaces between words, and others.
FULL_TEXT_QUERIES = [
    ("arrests", "ជនបរទេស"),   # Khmer: foreigners
    ("arrests", "外籍人员"),    # Chinese: foreign nationals
    ("arrests", "คนไทย"),      # Thai: Thai people
    ("arrests", "trao trả"),   # Vietnamese: handed over
    ("compounds", "娱乐城"),    # Chinese: casino (in an alias)
    ("sources", "Khmer Times"),
]


@pytest.fixture(scope="module")
def package():
    return load_package()


@pytest.fixture(scope="module")
def built(package, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("db")
    return database.build_database(package, folder / database.database_name(package))


def connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    return connection


def test_database_is_byte_identical_when_rebuilt(package, built):
    assert database.database_bytes(package) == built.read_bytes()


def test_every_resource_is_a_table_with_its_rows_keys_and_descriptions(package, built):
    connection = connect(built)
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    for resource in package.descriptor["resources"]:
        name, schema = resource["name"], resource["schema"]
        assert connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == package.tables[name].height
        columns = connection.execute(f'PRAGMA table_info("{name}")').fetchall()
        assert [c["name"] for c in columns] == [f["name"] for f in schema["fields"]]
        assert [c["name"] for c in columns if c["pk"]] == schema["primaryKey"]
        keys = {(row["from"], row["table"], row["to"])
                for row in connection.execute(f'PRAGMA foreign_key_list("{name}")').fetchall()}
        assert keys == set(database.foreign_keys(resource))
        described = dict(connection.execute(
            "SELECT column_name, description FROM _columns WHERE table_name = ?", [name]).fetchall())
        assert described == {f["name"]: f["description"] for f in schema["fields"]}


def test_values_keep_their_types(package, built):
    connection = connect(built)
    first = package.tables["arrests"].row(0, named=True)
    row = connection.execute("SELECT value, as_of FROM arrests WHERE observation_id = ?",
                             [first["observation_id"]]).fetchone()
    assert row["value"] == first["value"] and row["as_of"] == first["as_of"].isoformat()
    assert connection.execute("SELECT typeof(value) FROM arrests LIMIT 1").fetchone()[0] == "integer"


@pytest.mark.parametrize("table, words", FULL_TEXT_QUERIES)
def test_full_text_search_finds_exactly_the_rows_that_contain_the_words(package, built, table, words):
    columns = list(database.FTS_COLUMNS.get(table, database.FTS_DEFAULT))
    key = package.resource(table)["schema"]["primaryKey"][0]
    frame = package.tables[table]
    expected = frame.filter(pl.any_horizontal(
        pl.col(c).fill_null("").str.to_lowercase().str.contains(words.lower(), literal=True) for c in columns))
    assert expected.height, f"no {table} row contains {words!r}: pick words from the data"
    found = [row[key] for row in database.search(built, table, words)]
    assert found == expected[key].to_list()


def test_views_count_as_the_statistics_do(package, built):
    connection = connect(built)
    view = pl.DataFrame([dict(r) for r in connection.execute(
        "SELECT province_code, province, operations, persons_detained, persons_rescued FROM operations_by_province")])
    expected = stats.raids_by_province(package).rename({"province_name": "province"})
    assert view.sort("province_code").equals(expected.select(view.columns).sort("province_code"))
    compounds = {r["compound_id"]: (r["status"], r["status_date"])
                 for r in connection.execute("SELECT * FROM compounds_last_status")}
    known = stats.compounds_known(package)
    assert compounds == {r["compound_id"]: (r["status"], r["status_date"] and r["status_date"].isoformat())
                         for r in known.iter_rows(named=True)}
    claims = connection.execute("SELECT count(*), sum(reports) FROM claims_by_nationality_and_date").fetchone()
    arrests = package.tables["arrests"]
    assert tuple(claims) == (arrests.filter(pl.col("same_claim_as").is_null()).height, arrests.height)


def test_datasette_metadata_describes_every_column_and_names_licence_and_source(package):
    meta = database.datasette_metadata(package)
    assert meta["title"] == package.descriptor["title"]
    assert meta["license"] and meta["license_url"].startswith("https://creativecommons.org/")
    assert meta["source_url"] == package.descriptor["homepage"]
    tables = meta["databases"]["cambodia-scam-compounds"]["tables"]
    for resource in package.descriptor["resources"]:
        assert tables[resource["name"]]["columns"] == {f["name"]: f["description"] for f in resource["schema"]["fields"]}
    assert set(database.VIEWS) <= set(tables)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


@pytest.mark.skipif(not DATASETTE.exists(), reason="datasette (the dev extra) is not installed")
def test_datasette_serves_the_tables_and_the_full_text_search(package, built, tmp_path):
    meta = tmp_path / database.DATASETTE_METADATA_NAME
    meta.write_bytes(metadata.json_bytes(database.datasette_metadata(package)))
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path)}
    log = (tmp_path / "datasette.log").open("w")
    process = subprocess.Popen(
        [str(DATASETTE), "serve", "--immutable", str(built), "--metadata", str(meta), "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/cambodia-scam-compounds"
        rows = get_json(f"{base}/arrests.json?_shape=array&_size=5")
        assert len(rows) == 5 and set(rows[0]) >= {"observation_id", "value", "quote"}
        words = "ជនបរទេស"
        searched = get_json(f"{base}/arrests.json?_shape=array&_search={urllib.parse.quote(words)}")
        assert sorted(r["observation_id"] for r in searched) == sorted(
            r["observation_id"] for r in database.search(built, "arrests", words))
        everywhere = get_json(f"{base}/search.json?_shape=array&q={urllib.parse.quote(words)}")
        assert {r["resource"] for r in everywhere} >= {"arrests", "raids"}
        view = get_json(f"{base}/operations_by_province.json?_shape=array")
        assert len(view) == 25
        served = get_json(f"http://127.0.0.1:{port}/-/metadata.json")
        assert served["title"] == package.descriptor["title"]
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
