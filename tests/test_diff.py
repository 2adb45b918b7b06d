"""`scamstats diff`: rows added, removed and changed by primary key, with quotes and the reasons
of the curation record; a changed id is a replacement only when the data says so."""

import json
import zipfile
from pathlib import Path

import polars as pl
import pytest
from conftest import copy_package, edit_rows
from typer.testing import CliRunner

from scamstats import diff, diff_report, versions
from scamstats.cli import app
from scamstats.curation_record import read_curation_record
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR

runner = CliRunner()


@pytest.fixture(scope="module")
def original():
    return load_package(PACKAGE_DIR)


def unreferenced(package, resource: str, key: str) -> dict:
    """The first row of a resource that no other row points at (safe to remove)."""
    frame = package.tables[resource]
    pointed = set()
    for table in package.tables.values():
        for column in ("same_claim_as", "total_id", "same_event_as", "same_operation_as", "part_of", "raid_id"):
            if column in table.columns:
                pointed |= set(table[column].drop_nulls().to_list())
    return frame.filter(~pl.col(key).is_in(sorted(pointed))).row(0, named=True)


@pytest.fixture(scope="module")
def three_changes(tmp_path_factory, original):
    """A copy of the package with one arrests row added, one survivors row removed and one
    timeline field changed; returns (folder, added id, removed row, changed id, new note)."""
    folder = copy_package(PACKAGE_DIR, tmp_path_factory.mktemp("changed") / "datapackage")
    removed = unreferenced(original, "survivors", "group_id")
    changed = original.tables["timeline"].row(0, named=True)
    added_id = "test-added-row"
    new_note = "A note changed for the test."

    def add(rows):
        return [*rows, {**rows[0], "observation_id": added_id}]

    edit_rows(folder / "data" / "arrests.csv", add)
    edit_rows(folder / "data" / "survivors.csv", lambda rows: [r for r in rows if r["group_id"] != removed["group_id"]])
    edit_rows(folder / "data" / "timeline.csv",
              lambda rows: [{**r, "note": new_note} if r["event_id"] == changed["event_id"] else r for r in rows])
    return folder, added_id, removed, changed["event_id"], new_note


def test_diff_reports_exactly_one_added_one_removed_one_changed(original, three_changes):
    folder, added_id, removed, changed_id, new_note = three_changes
    changes = diff.diff_packages(original, load_package(folder))
    assert changes.select("resource", "kind", "row_id", "field").rows() == [
        ("arrests", "added", added_id, None),
        ("survivors", "removed", removed["group_id"], None),
        ("timeline", "changed", changed_id, "note"),
    ]
    by_kind = {row["kind"]: row for row in changes.to_dicts()}
    first_arrest = original.tables["arrests"].row(0, named=True)
    assert by_kind["added"]["quote"] == first_arrest["quote"]
    assert by_kind["removed"]["quote"] == removed["quote"]
    assert by_kind["removed"]["source_id"] == removed["source_id"]
    old_note = original.tables["timeline"].filter(pl.col("event_id") == changed_id)["note"][0]
    assert (by_kind["changed"]["before"], by_kind["changed"]["after"]) == (old_note, new_note)
    counts = diff.change_counts(changes)
    assert counts.rows() == [("arrests", "added", 1), ("survivors", "removed", 1), ("timeline", "changed", 1)]


def test_the_same_package_has_no_changes(original):
    changes = diff.diff_packages(original, original)
    assert changes.height == 0 and changes.schema == pl.Schema(diff.DIFF_SCHEMA)
    assert "no rows added, removed or changed" in diff_report.as_text(changes, "a", "b")


def test_reasons_come_from_the_curation_record(tmp_path, original, three_changes):
    folder, added_id, removed, changed_id, _ = three_changes
    url = original.tables["sources"].filter(pl.col("source_id") == removed["source_id"])["url"][0]
    record_dir = tmp_path / "curation"
    record_dir.mkdir()
    (record_dir / "rejected.tsv").write_text(f"{url}\t2026-12-08\ta repost of a page already curated\n")
    (record_dir / "added.tsv").write_text(f"curator:1\ttimeline\t{changed_id}\ncurator:2\tarrests\t{added_id}\n")
    (record_dir / "overrides.jsonl").write_text(
        json.dumps({"lead": "curator:1", "set": {"note": "x"}, "why": "the note said too little"}) + "\n"
        + json.dumps({"lead": "curator:1", "set": {"label": "y"}, "why": "short label for charts"}) + "\n"
        + json.dumps({"lead": "curator:2", "set": {"value": 3}, "why": "the quote gives three"}) + "\n")
    changes = diff.diff_packages(original, load_package(folder), read_curation_record(record_dir))
    reasons = dict(zip(changes["kind"], changes["reason"], strict=True))
    assert reasons == {"added": "the quote gives three", "removed": "a repost of a page already curated",
                       "changed": "the note said too little"}


def test_a_changed_id_is_a_replacement_only_when_the_data_says_so(tmp_path, original):
    arrests = original.tables["arrests"]
    first = arrests.filter(pl.col("same_claim_as").is_not_null())["same_claim_as"][0]
    folder = copy_package(PACKAGE_DIR, tmp_path / "datapackage")

    def rename(rows):
        return [{**r, "observation_id": "renamed-claim" if r["observation_id"] == first else r["observation_id"],
                 "same_claim_as": "renamed-claim" if r["same_claim_as"] == first else r["same_claim_as"]}
                for r in rows]

    edit_rows(folder / "data" / "arrests.csv", rename)
    changes = diff.diff_packages(original, load_package(folder))
    replaced = changes.filter(pl.col("kind") == "replaced")
    assert replaced.select("row_id", "previous_id", "field").rows() == [("renamed-claim", first, None)]
    assert "same_claim_as re-pointed" in replaced["matched_by"][0]
    # The rows that point at it changed too; nothing was added or removed.
    assert set(changes["kind"]) == {"replaced", "changed"}
    assert set(changes.filter(pl.col("kind") == "changed")["field"]) == {"same_claim_as"}


def test_a_renamed_row_nobody_points_at_is_a_removal_and_an_addition_unless_its_note_says(tmp_path, original):
    row = unreferenced(original, "timeline", "event_id")
    folder = copy_package(PACKAGE_DIR, tmp_path / "datapackage")
    edit_rows(folder / "data" / "timeline.csv",
              lambda rows: [{**r, "event_id": "renamed-event"} if r["event_id"] == row["event_id"] else r for r in rows])
    changes = diff.diff_packages(original, load_package(folder))
    assert sorted(changes.select("kind", "row_id").rows()) == [("added", "renamed-event"), ("removed", row["event_id"])]
    edit_rows(folder / "data" / "timeline.csv",
              lambda rows: [{**r, "note": f"Replaces {row['event_id']}."} if r["event_id"] == "renamed-event" else r
                            for r in rows])
    changes = diff.diff_packages(original, load_package(folder))
    assert changes.select("kind", "previous_id", "field").rows() == [("replaced", row["event_id"], "note")]
    assert changes["matched_by"][0] == "note says it replaces it"


def test_a_field_dropped_from_the_schema_is_reported(tmp_path, original):
    folder = copy_package(PACKAGE_DIR, tmp_path / "datapackage")
    descriptor = json.loads((folder / "datapackage.json").read_text())
    timeline = next(r for r in descriptor["resources"] if r["name"] == "timeline")
    timeline["schema"]["fields"] = [f for f in timeline["schema"]["fields"] if f["name"] != "label"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor))
    changes = diff.diff_packages(original, load_package(folder))
    assert changes.filter(pl.col("kind") == "field_removed").select("resource", "field").rows() == [("timeline", "label")]
    assert changes.filter(pl.col("kind") == "changed")["field"].unique().to_list() == ["label"]


def release_zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"cambodia-scam-compounds-0.1.0/{path.relative_to(folder)}")
    return target


def test_cli_reads_folders_zips_and_descriptors_in_every_format(tmp_path, three_changes):
    folder, added_id, removed, changed_id, _ = three_changes
    old_zip = release_zip(PACKAGE_DIR, tmp_path / "old.zip")
    text = runner.invoke(app, ["diff", str(old_zip), str(folder / "datapackage.json")])
    assert text.exit_code == 0, text.output
    assert f"+ added    {added_id}" in text.output and f"- removed  {removed['group_id']}" in text.output
    assert f"\"{removed['quote']}\"" in text.output and f"~ changed  {changed_id}" in text.output
    csv_out = runner.invoke(app, ["diff", str(PACKAGE_DIR), str(folder), "--format", "csv"])
    frame = pl.read_csv(csv_out.stdout.encode(), infer_schema=False)
    assert frame.columns == list(diff.DIFF_SCHEMA) and frame.height == 3
    document = json.loads(runner.invoke(app, ["diff", str(PACKAGE_DIR), str(folder), "--format", "json"]).stdout)
    assert [c["rows"] for c in document["counts"]] == [1, 1, 1] and len(document["changes"]) == 3


def test_cli_reads_a_git_revision_and_refuses_what_is_no_version(tmp_path):
    with versions.opened("HEAD") as head:
        assert head.label.startswith("git HEAD")
        assert head.package.tables["arrests"].height > 0
    assert runner.invoke(app, ["diff", "HEAD", "HEAD"]).exit_code == 0
    result = runner.invoke(app, ["diff", str(tmp_path / "nothing-here"), str(PACKAGE_DIR)])
    assert result.exit_code == 2 and "not a package folder" in result.output and "Traceback" not in result.output
    result = runner.invoke(app, ["diff", str(PACKAGE_DIR), str(PACKAGE_DIR), "--format", "xml"])
    assert result.exit_code == 2 and "unknown format" in result.output
