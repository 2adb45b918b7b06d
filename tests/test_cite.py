"""Citations of the package and of a figure: plain and BibTeX, with version and hashes."""

import hashlib
import json

import pytest
from typer.testing import CliRunner

from scamstats import cite
from scamstats.cli import app
from scamstats.package import load_package
from scamstats.paths import DESCRIPTOR_PATH

runner = CliRunner()


@pytest.fixture(scope="module")
def package():
    return load_package()


def test_descriptor_hash_is_the_files_sha256(package):
    assert cite.descriptor_sha256(package) == hashlib.sha256(DESCRIPTOR_PATH.read_bytes()).hexdigest()


def test_package_citation_names_version_and_hash(package):
    text = cite.package_citation(package)
    assert f"version {package.version}" in text
    assert cite.descriptor_sha256(package)[:12] in text
    assert package.descriptor["title"] in text


def test_bibtex_is_balanced_and_complete(package):
    for entry in (cite.package_bibtex(package), cite.figure_bibtex(package, "raids-map", {"png": "ab" * 32})):
        assert entry.count("{") == entry.count("}")
        assert entry.startswith("@") and entry.rstrip().endswith("}")
        assert f"version = {{{package.version}}}" in entry.replace("  ", " ").replace("  ", " ") or \
            package.version in entry
        assert cite.descriptor_sha256(package) in entry
    assert "png sha256 " + "ab" * 32 in cite.figure_bibtex(package, "raids-map", {"png": "ab" * 32})


def test_figure_citation_names_the_figure(package):
    text = cite.figure_citation(package, "raids-per-month")
    assert "raids-per-month" in text and package.version in text


def test_built_figure_hashes_come_only_from_a_matching_manifest(package, tmp_path):
    assert cite.built_figure_hashes(package, "raids-map", tmp_path) is None
    manifest = {"package": {"descriptor_sha256": cite.descriptor_sha256(package)},
                "figures": [{"id": "raids-map", "files": {"png": {"sha256": "cd" * 32}}}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert cite.built_figure_hashes(package, "raids-map", tmp_path) == {"png": "cd" * 32}
    manifest["package"]["descriptor_sha256"] = "0" * 64
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    assert cite.built_figure_hashes(package, "raids-map", tmp_path) is None


def test_cite_command_plain_and_bibtex(package):
    result = runner.invoke(app, ["cite"])
    assert result.exit_code == 0
    assert package.version in result.output and "@dataset{" in result.output
    result = runner.invoke(app, ["cite", "raids-map", "--style", "plain"])
    assert result.exit_code == 0 and "raids-map" in result.output and "@misc" not in result.output


@pytest.mark.parametrize("args, message", [
    (["cite", "no-such-figure"], "no figure with id"),
    (["cite", "--style", "apa"], "unknown citation style"),
])
def test_cite_command_bad_input_is_a_clear_error(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


# ------------------------------------------------------------------------------------------
# The public base URL of view links, and citations pinned to a version


def test_view_links_start_with_the_homepage_by_default(package, monkeypatch):
    monkeypatch.delenv(cite.BASE_URL_VARIABLE, raising=False)
    assert cite.base_url(package) == package.descriptor["homepage"]
    assert cite.view_link(package, "page=arrests&nationality=IDN") == \
        f"{package.descriptor['homepage']}?page=arrests&nationality=IDN"


def test_the_environment_sets_the_base_url_but_never_to_this_machine(package, monkeypatch):
    monkeypatch.setenv(cite.BASE_URL_VARIABLE, "https://data.example.org/scamstats/")
    assert cite.view_link(package, "page=raids") == "https://data.example.org/scamstats/?page=raids"
    for local in ("http://127.0.0.1:8501", "http://localhost:8501/", "http://[::1]/", "http://0.0.0.0/",
                  "file:///tmp/x", "javascript:alert(1)"):
        monkeypatch.setenv(cite.BASE_URL_VARIABLE, local)
        assert cite.base_url(package) == package.descriptor["homepage"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8501", "http://localhost/", "http://app.localhost/",
                                 "http://[::1]:8501", "ftp://example.org/", "example.org"])
def test_check_base_url_refuses_what_a_reader_cannot_open(url):
    with pytest.raises(cite.NotPublic):
        cite.check_base_url(url)


def test_check_base_url_keeps_a_public_address_without_query():
    assert cite.check_base_url("https://example.org/dash?x=1#top") == "https://example.org/dash"


def test_citations_name_the_digest_they_are_given(package):
    digest = "f" * 64
    assert digest[:12] in cite.package_citation(package, digest)
    assert digest[:12] in cite.figure_citation(package, "raids-map", digest)
    assert digest in cite.package_bibtex(package, digest)
    assert digest[:12] in cite.view_citation(package, "Raids", {"type": "raid"}, "2026-01-01", "x", digest=digest)


def test_dashboard_command_refuses_a_base_url_on_this_machine():
    result = runner.invoke(app, ["dashboard", "--headless", "--base-url", "http://127.0.0.1:8501"])
    assert result.exit_code == 2
    assert "points at this machine" in result.output and "Traceback" not in result.output


def test_figure_rows_name_the_rows_each_figure_cites(package):
    cited = cite.figure_rows(package)
    assert set(cited) == set(__import__("scamstats.figures", fromlist=["figure_ids"]).figure_ids())
    assert all(entry["title"] for entry in cited.values())
    assert cited["raids-per-month"]["rows"] <= set(package.tables["raids"]["raid_id"])
    assert cited["official-tallies-crackdown"]["rows"] <= set(package.tables["arrests"]["observation_id"])
