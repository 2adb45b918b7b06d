"""Archive metadata generated from the descriptor and CITATION.cff: `.zenodo.json` (the
repository's own copy kept in step) and the schema.org Dataset JSON-LD."""

import json

import pytest
from conftest import REPO_DIR
from typer.testing import CliRunner

from scamstats import metadata, stats
from scamstats.cli import app
from scamstats.package import load_package

runner = CliRunner()


@pytest.fixture(scope="module")
def package():
    return load_package()


@pytest.fixture(scope="module")
def citation():
    return metadata.read_citation_file(REPO_DIR)


def test_zenodo_record_comes_from_the_descriptor_and_citation_file(package, citation):
    record = metadata.zenodo_record(package, citation)
    assert record["upload_type"] == "dataset" and record["access_right"] == "open"
    assert record["title"] == citation["title"]
    assert record["version"] == package.version == citation["version"]
    assert record["publication_date"] == str(citation["date-released"])
    assert record["license"] == "cc-by-4.0"
    assert [c["name"] for c in record["creators"]] == [a["name"] for a in citation["authors"]]
    assert set(package.descriptor["keywords"]) | set(citation["keywords"]) == set(record["keywords"])
    assert {r["identifier"] for r in record["related_identifiers"]} == {citation["repository-code"]}


def test_the_repository_zenodo_json_is_the_generated_one(package, citation):
    committed = json.loads((REPO_DIR / ".zenodo.json").read_text(encoding="utf-8"))
    assert committed == metadata.zenodo_record(package, citation), \
        "regenerate it: .venv/bin/scamstats metadata zenodo > .zenodo.json"


def test_dataset_jsonld_describes_the_package(package, citation):
    document = metadata.dataset_jsonld(package, citation, [("x.db", "application/vnd.sqlite3", "Database")])
    assert (document["@context"], document["@type"]) == ("https://schema.org/", "Dataset")
    assert document["name"] == package.descriptor["title"] and document["version"] == package.version
    assert document["license"] == "https://creativecommons.org/licenses/by/4.0/"
    coverage = stats.table_coverage(package)
    dated = coverage.filter(coverage["resource"] != "sources")
    assert document["temporalCoverage"] == f"{dated['first_date'].min()}/{dated['last_date'].max()}"
    fields = sum(len(r["schema"]["fields"]) for r in package.descriptor["resources"])
    assert len(document["variableMeasured"]) == fields
    paths = [d["contentUrl"] for d in document["distribution"]]
    assert paths == ["datapackage.json", *[r["path"] for r in package.descriptor["resources"]], "x.db"]
    assert "km" in document["inLanguage"] and "zh" in document["inLanguage"]


def test_metadata_command_prints_either_document():
    for kind, key in (("zenodo", "upload_type"), ("jsonld", "@type")):
        result = runner.invoke(app, ["metadata", kind])
        assert result.exit_code == 0 and key in json.loads(result.stdout)
    result = runner.invoke(app, ["metadata", "datacite"])
    assert result.exit_code == 2 and "unknown metadata" in result.output
