"""The shipped package passes our validator and the official frictionless validator."""

import frictionless
from conftest import tree_digest

from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR
from scamstats.validate import validate_package


def test_shipped_package_passes_our_validator():
    before = tree_digest(PACKAGE_DIR)
    report = validate_package(PACKAGE_DIR)
    assert [p.line() for p in report.problems] == []
    assert tree_digest(PACKAGE_DIR) == before


def test_shipped_package_passes_frictionless():
    report = frictionless.validate(str(PACKAGE_DIR / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_descriptor_is_data_package_v2_with_required_metadata():
    descriptor = load_package(PACKAGE_DIR).descriptor
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["name"] == "cambodia-scam-compounds"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    names = {r["name"] for r in descriptor["resources"]}
    assert names == {"sources", "compounds", "raids", "arrests", "survivors", "timeline"}
    for resource in descriptor["resources"]:
        assert resource["path"] == f"data/{resource['name']}.csv"
        assert resource["hash"].startswith("sha256:") and resource["bytes"] > 0
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (resource["name"], field["name"])
            assert field.get("type"), (resource["name"], field["name"])


def test_every_row_but_sources_has_a_source_and_a_quote():
    package = load_package(PACKAGE_DIR)
    for name, frame in package.tables.items():
        if name == "sources":
            continue
        assert frame.height > 0, name
        assert frame["source_id"].null_count() == 0, name
        assert frame["quote"].null_count() == 0, name


def test_all_25_provinces_are_allowed(repo_dir):
    package = load_package(PACKAGE_DIR)
    field = next(f for f in package.resource("raids")["schema"]["fields"] if f["name"] == "province_code")
    assert len(field["constraints"]["enum"]) == 25 and "KH-25" in field["constraints"]["enum"]
    assert (repo_dir / "datapackage" / "datapackage.json").is_file()


def test_codebook_coverage_table_counts_the_shipped_rows():
    """The codebook's Coverage table (rows per year) says what the CSVs hold, year by year."""
    text = (PACKAGE_DIR / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Coverage"):text.index("## Known gaps")]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    years = [cell.strip() for cell in lines[0].strip("|").split("|")][1:]
    package = load_package(PACKAGE_DIR)
    columns = {"`arrests`": ("arrests", "as_of"), "`raids`": ("raids", "date")}
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        name, column = columns[cells[0]]
        dates = package.tables[name][column].drop_nulls()
        counted = {year: sum(1 for day in dates if str(day.year) == year) for year in years}
        assert dict(zip(years, map(int, cells[1:]), strict=True)) == counted, cells[0]
    assert {line.split("|")[1].strip() for line in lines[2:]} == set(columns)
    first, last = min(package.tables["arrests"]["as_of"].drop_nulls()), max(package.tables["arrests"]["as_of"].drop_nulls())
    assert years[0] == str(first.year) and years[-1] == str(last.year)
