"""Writes tests/data/valid/ (a snapshot of a small valid package) and tests/data/invalid/<case>/,
each case the valid package with one thing broken and an `expected.json` written from the
literal expectations below (never from the validator's output).

Run after changing the data model:  .venv/bin/python tests/data/make_fixtures.py
The valid snapshot is copied from tests/data/valid/ itself; pass --from-shipped to refresh it
from datapackage/ first (then re-check the row numbers the cases below name).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
VALID = HERE / "valid"
INVALID = HERE / "invalid"
sys.path.insert(0, str(REPO / "src"))

from fixture_edits import (
    ARRESTS,
    COMPOUNDS,
    RAIDS,
    TIMELINE,
    add_column,
    append_row,
    drop_column,
    edit_bytes,
    edit_text,
    in_turn,
    set_cell,
    set_cells,
    set_field_type,
    set_path,
)
from hardening_cases import HARDENING_CASES

from scamstats.package import rehash

LONG_QUOTE = " ".join(["word"] * 31) + " 2,137"
FIRST_RAID = "camboja-202507-pursat-thmor-da"  # row 2 of the valid raids
FIRST_COMPOUND = "mds-thmor-da-sez"  # row 2 of the valid compounds
FIRST_EVENT = "joint-statement-abolish-slave-compounds"  # row 2 of the valid timeline (2022-03-10)
SURVIVORS = "data/survivors.csv"
AP_TOTAL = "ap-20250718-detained-total"  # row 2 of the valid arrests: 2,137 detained (AP), a total
AP_VNM = "ap-20250718-detained-vnm"  # row 3: 429 Vietnamese of that total
OTHER_SOURCE = "independent-20260211-190-sealed"  # a source of the valid package other than AP's

# case: (mutation, rehash afterwards, exit code, [[file, row, field, check], ...])
CASES = {
    "negative-count": (set_cell(ARRESTS, 2, "value", "-4"), True, 1,
                       [[ARRESTS, 2, "value", "minimum"]]),
    "wrong-type": (set_cell(ARRESTS, 3, "value", "429a"), True, 1,
                   [[ARRESTS, 3, "value", "type"]]),
    "impossible-date": (set_cell(ARRESTS, 2, "as_of", "2025-02-30"), True, 1,
                        [[ARRESTS, 2, "as_of", "type"]]),
    "future-date": (set_cell(ARRESTS, 19, "as_of", "2099-01-01"), True, 1,
                    [[ARRESTS, 19, "as_of", "date-range"]]),
    "unknown-enum": (set_cell(ARRESTS, 2, "metric", "kidnapped"), True, 1,
                     [[ARRESTS, 2, "metric", "enum"]]),
    "unknown-province": (set_cell("data/raids.csv", 2, "province_code", "KH-26"), True, 1,
                         [["data/raids.csv", 2, "province_code", "enum"]]),
    "duplicate-primary-key": (set_cell("data/survivors.csv", 3, "group_id", "amnesty-2025-interviewees-total"), True, 1,
                              [["data/survivors.csv", 3, "group_id", "primary-key"]]),
    "dangling-foreign-key": (set_cell(ARRESTS, 22, "source_id", "nowhere-20990101"), True, 1,
                             [[ARRESTS, 22, "source_id", "foreign-key"]]),
    "dangling-compound": (set_cell("data/raids.csv", 2, "compound_id", "no-such-compound"), True, 1,
                          [["data/raids.csv", 2, "compound_id", "foreign-key"]]),
    "breakdown-above-total": (set_cells(ARRESTS, 17, {"value": "2700", "quote": "The detainees included 2,700 Indonesians"}), True, 1,
                              [[ARRESTS, 17, "value", "breakdown-total"]]),
    "breakdowns-sum-above-total": (set_cells(ARRESTS, 2, {"value": "1400", "quote": "brought to 1,400 the total number detained since June 27"}), True, 1,
                                   [[ARRESTS, row, "value", "breakdown-sum"] for row in range(3, 9)]),
    "decreasing-cumulative": (append_row(ARRESTS, {"observation_id": "ap-20250720-detained-total", "as_of": "2025-07-20", "value": "2000",
                                                   "quote": "brought to 2,000 the total number detained since June 27"}, like_row=2), True, 1,
                              [[ARRESTS, 24, "value", "cumulative"]]),
    "quote-without-number": (set_cell(ARRESTS, 10, "quote", "The latest arrests followed others in the first six months of the year"), True, 1,
                             [[ARRESTS, 10, "quote", "quote-number"]]),
    "quote-too-long": (set_cell(ARRESTS, 2, "quote", LONG_QUOTE), True, 1,
                       [[ARRESTS, 2, "quote", "quote-length"]]),
    "missing-column": (drop_column(ARRESTS, "qualifier"), True, 1,
                       [[ARRESTS, 1, "qualifier", "missing-label"]]),
    "extra-column": (add_column(ARRESTS, "comment"), True, 1,
                     [[ARRESTS, 1, "comment", "extra-label"]]),
    "empty-file": (edit_bytes("data/timeline.csv", lambda b: b""), True, 2,
                   [["data/timeline.csv", None, None, "empty-file"]]),
    "header-only": (edit_text("data/timeline.csv", lambda t: t.split("\n", 1)[0] + "\n"), True, 1,
                    [["data/timeline.csv", None, None, "empty-table"]]),
    "not-utf8": (edit_bytes("data/compounds.csv", lambda b: b.replace(b"Thmor Da", "Thmor D\xe0".encode("latin-1"), 1)), True, 2,
                 [["data/compounds.csv", None, None, "encoding"]]),
    "utf8-bom": (edit_bytes("data/compounds.csv", lambda b: b"\xef\xbb\xbf" + b), True, 1,
                 [["data/compounds.csv", 1, None, "encoding"]]),
    "crlf-line-ends": (edit_bytes("data/compounds.csv", lambda b: b.replace(b"\n", b"\r\n")), True, 1,
                       [["data/compounds.csv", None, None, "line-ends"]]),
    "extra-cell": (edit_text("data/raids.csv", lambda t: t.rstrip("\n") + ",surplus\n"), True, 1,
                   [["data/raids.csv", 2, None, "extra-cell"]]),
    "missing-cell": (edit_text("data/timeline.csv", lambda t: t + "lonely-event,2025-01-01\n"), True, 1,
                     [["data/timeline.csv", 6, field, "missing-cell"]
                      for field in ["date_precision", "category", "event", "source_id", "quote", "note", "label",
                                    "same_event_as"]]),
    "hash-mismatch": (set_cell(ARRESTS, 3, "note", "edited after rehash"), False, 1,
                      [["datapackage.json", None, "arrests.bytes", "bytes"], ["datapackage.json", None, "arrests.hash", "hash"]]),
    "missing-file": (set_path("timeline", "data/nowhere.csv"), False, 2,
                     [["data/nowhere.csv", None, None, "missing-file"]]),
    "path-escapes-package": (set_path("timeline", "../../etc/passwd"), False, 2,
                             [["datapackage.json", None, None, "path"]]),
    "absolute-path": (set_path("timeline", "/etc/passwd"), False, 2,
                      [["datapackage.json", None, None, "path"]]),
    "url-not-http": (set_cell("data/sources.csv", 4, "url", "javascript:alert(1)"), True, 1,
                     [["data/sources.csv", 4, "url", "markup"], ["data/sources.csv", 4, "url", "pattern"]]),
    "file-url": (set_cell("data/sources.csv", 4, "url", "file:///etc/passwd"), True, 1,
                 [["data/sources.csv", 4, "url", "pattern"]]),
    "formula-injection": (set_cell("data/compounds.csv", 2, "name", "=HYPERLINK(\"http://x.example\",\"click\")"), True, 1,
                          [["data/compounds.csv", 2, "name", "formula"]]),
    "dangling-same-operation": (append_row(RAIDS, {"raid_id": "second-report", "same_operation_as": "no-such-raid"}, like_row=2), True, 1,
                                [[RAIDS, 3, "same_operation_as", "foreign-key"]]),
    "same-operation-other-province": (append_row(RAIDS, {"raid_id": "second-report", "province_code": "KH-12",
                                                         "same_operation_as": FIRST_RAID}, like_row=2), True, 1,
                                      [[RAIDS, 3, "same_operation_as", "same-operation"]]),
    "same-operation-chain": (in_turn(append_row(RAIDS, {"raid_id": "second-report", "same_operation_as": FIRST_RAID}, like_row=2),
                                     append_row(RAIDS, {"raid_id": "third-report", "same_operation_as": "second-report"}, like_row=2)),
                             True, 1, [[RAIDS, 4, "same_operation_as", "same-operation-chain"]]),
    "dangling-part-of": (append_row(RAIDS, {"raid_id": "one-site", "part_of": "no-such-raid"}, like_row=2), True, 1,
                         [[RAIDS, 3, "part_of", "foreign-key"]]),
    "part-of-other-province": (append_row(RAIDS, {"raid_id": "one-site", "province_code": "KH-12", "part_of": FIRST_RAID},
                                          like_row=2), True, 1,
                               [[RAIDS, 3, "part_of", "part-of"]]),
    "part-of-chain": (in_turn(append_row(RAIDS, {"raid_id": "one-site", "part_of": FIRST_RAID}, like_row=2),
                              append_row(RAIDS, {"raid_id": "one-room", "part_of": "one-site"}, like_row=2)),
                      True, 1, [[RAIDS, 4, "part_of", "part-of-chain"]]),
    "same-compound-other-province": (append_row(COMPOUNDS, {"compound_id": "second-record", "province_code": "KH-12",
                                                            "same_compound_as": FIRST_COMPOUND}, like_row=2), True, 1,
                                     [[COMPOUNDS, 3, "same_compound_as", "same-compound"]]),
    "same-compound-chain": (in_turn(append_row(COMPOUNDS, {"compound_id": "second-record", "same_compound_as": FIRST_COMPOUND}, like_row=2),
                                    append_row(COMPOUNDS, {"compound_id": "third-record", "same_compound_as": "second-record"}, like_row=2)),
                            True, 1, [[COMPOUNDS, 4, "same_compound_as", "same-compound-chain"]]),
    "dangling-same-event": (append_row(TIMELINE, {"event_id": "second-report", "same_event_as": "no-such-event"}, like_row=2),
                            True, 1, [[TIMELINE, 6, "same_event_as", "foreign-key"]]),
    "same-event-far-date": (append_row(TIMELINE, {"event_id": "second-report", "date": "2022-06-10",
                                                  "same_event_as": FIRST_EVENT}, like_row=2), True, 1,
                            [[TIMELINE, 6, "same_event_as", "same-event"]]),
    "same-event-chain": (in_turn(append_row(TIMELINE, {"event_id": "second-report", "same_event_as": FIRST_EVENT}, like_row=2),
                                 append_row(TIMELINE, {"event_id": "third-report", "same_event_as": "second-report"}, like_row=2)),
                         True, 1, [[TIMELINE, 7, "same_event_as", "same-event-chain"]]),
    "label-too-long": (set_cell(TIMELINE, 3, "label", "A label far longer than any chart has room for, at 60"), True, 1,
                       [[TIMELINE, 3, "label", "maxLength"]]),
    "plus-command": (set_cell("data/raids.csv", 2, "agency", "+cmd|' /C calc'!A0"), True, 1,
                     [["data/raids.csv", 2, "agency", "formula"]]),
    "at-sum": (set_cell("data/timeline.csv", 2, "event", "@SUM(1+1)*cmd"), True, 1,
               [["data/timeline.csv", 2, "event", "formula"]]),
    "html-script": (set_cell("data/sources.csv", 2, "title", "<script>alert('x')</script>"), True, 1,
                    [["data/sources.csv", 2, "title", "markup"]]),
    "period-start-after-as-of": (set_cell(ARRESTS, 2, "period_start", "2025-07-20"), True, 1,
                                 [[ARRESTS, 2, "period_start", "period-order"]]),
    "outside-cambodia": (edit_text("data/compounds.csv", lambda t: t.replace(",Thmor Da,,,,", ",Thmor Da,20.5,103.1,town,")), True, 1,
                         [["data/compounds.csv", 2, "latitude", "bbox"]]),
    "unknown-country-code": (set_cell(ARRESTS, 3, "nationality", "XXX"), True, 1,
                             [[ARRESTS, 3, "nationality", "country-code"]]),
    "unknown-scope": (set_cell(ARRESTS, 9, "scope", "atlantis"), True, 1,
                      [[ARRESTS, 9, "scope", "scope"]]),
    "bad-descriptor-type": (set_field_type("arrests", "value", "integr"), False, 1,
                            [["datapackage.json", None, None, "descriptor"]]),
    "descriptor-not-json": (edit_bytes("datapackage.json", lambda b: b[:-20]), False, 2,
                            [["datapackage.json", None, None, "json"]]),
    "huge-cell": (set_cell("data/compounds.csv", 2, "note", "x" * 1_000_000), True, 1,
                  [["data/compounds.csv", 2, "note", "maxLength"]]),
    # Claims: a relay linked by same_claim_as gives the claim's value, dated near it, pointing to
    # a first report; two unlinked rows of different sources never give one claim twice.
    "same-claim-other-value": (append_row(ARRESTS, {"observation_id": "relay-vnm", "source_id": OTHER_SOURCE,
                                                    "value": "430", "quote": "included 430 Vietnamese",
                                                    "same_claim_as": AP_VNM}, like_row=3), True, 1,
                               [[ARRESTS, 24, "same_claim_as", "same-claim"]]),
    "same-claim-far-date": (append_row(ARRESTS, {"observation_id": "relay-total", "source_id": OTHER_SOURCE,
                                                 "as_of": "2025-12-01", "same_claim_as": AP_TOTAL}, like_row=2), True, 1,
                            [[ARRESTS, 24, "same_claim_as", "same-claim-date"]]),
    "same-claim-chain": (in_turn(append_row(ARRESTS, {"observation_id": "relay-1", "source_id": OTHER_SOURCE,
                                                      "same_claim_as": AP_TOTAL}, like_row=2),
                                 append_row(ARRESTS, {"observation_id": "relay-2", "source_id": "guardian-20260121-releases",
                                                      "same_claim_as": "relay-1"}, like_row=2)),
                         True, 1, [[ARRESTS, 25, "same_claim_as", "same-claim-chain"]]),
    "dangling-same-claim": (append_row(ARRESTS, {"observation_id": "relay-total", "source_id": OTHER_SOURCE,
                                                 "same_claim_as": "no-such-row"}, like_row=2), True, 1,
                            [[ARRESTS, 24, "same_claim_as", "foreign-key"]]),
    "same-claim-unlinked": (append_row(ARRESTS, {"observation_id": "relay-total", "source_id": OTHER_SOURCE}, like_row=2),
                            True, 1, [[ARRESTS, 24, "same_claim_as", "same-claim-unlinked"]]),
    # Breakdowns name their total: a breakdown of it, of the same metric.
    "total-id-other-metric": (set_cell(ARRESTS, 3, "total_id", "ap-2025h1-deported"), True, 1,
                              [[ARRESTS, 3, "total_id", "total-id"]]),
    "total-id-on-a-total": (set_cell(ARRESTS, 2, "total_id", "ap-2025h1-arrested"), True, 1,
                            [[ARRESTS, 2, "total_id", "total-id"]]),
    "dangling-total-id": (set_cell(ARRESTS, 3, "total_id", "no-such-total"), True, 1,
                          [[ARRESTS, 3, "total_id", "foreign-key"]]),
    # The hedge word next to the number against the qualifier; a 1 January baseline the quote
    # does not name as a calendar year.
    "qualifier-word": (set_cell(ARRESTS, 2, "quote", "brought to more than 2,137 the total number detained since June 27"),
                       True, 1, [[ARRESTS, 2, "qualifier", "qualifier-word"]]),
    "year-only-baseline": (set_cell(ARRESTS, 2, "period_start", "2025-01-01"), True, 1,
                           [[ARRESTS, 2, "period_start", "year-baseline"]]),
    # Rules that had no case of their own.
    "survivor-category-mismatch": (set_cell(SURVIVORS, 2, "category", "female"), True, 1,
                                   [[SURVIVORS, 2, "category", "category"]]),
    "geo-precision-without-coordinates": (set_cell(COMPOUNDS, 2, "geo_precision", "town"), True, 1,
                                          [[COMPOUNDS, 2, "geo_precision", "geo-precision"]]),
    "qualifier-without-count": (set_cell(RAIDS, 2, "persons_rescued_qualifier", "exact"), True, 1,
                                [[RAIDS, 2, "persons_rescued_qualifier", "qualifier"]]),
    # Survivors: parts within the total of the same source and population.
    "survivor-part-above-total": (set_cells(SURVIVORS, 3, {"count": "60", "quote": "including 60 children"}), True, 1,
                                  [[SURVIVORS, 3, "count", "breakdown-total"]]),
    "survivor-parts-sum-above-total": (in_turn(
        append_row(SURVIVORS, {"group_id": "amnesty-2025-interviewees-women", "dimension": "sex", "category": "female",
                               "count": "30", "quote": "30 women and 30 men"}, like_row=3),
        append_row(SURVIVORS, {"group_id": "amnesty-2025-interviewees-men", "dimension": "sex", "category": "male",
                               "count": "30", "quote": "30 women and 30 men"}, like_row=3)), True, 1,
        [[SURVIVORS, 7, "count", "breakdown-sum"], [SURVIVORS, 8, "count", "breakdown-sum"]]),
    # Survivors: a row counting the same group as another (same_group_as, row 5 -> row 4 in the
    # valid package) counts the same dimension and category, and points to a first report.
    "same-group-other-category": (set_cell(SURVIVORS, 5, "same_group_as", "amnesty-2025-interviewees-children"),
                                  True, 1, [[SURVIVORS, 5, "same_group_as", "same-group"]]),
    "same-group-chain": (set_cell(SURVIVORS, 4, "same_group_as", "amnesty-2025-interviewees-total"), True, 1,
                         [[SURVIVORS, 5, "same_group_as", "same-group-chain"]]),
    "dangling-same-group": (set_cell(SURVIVORS, 5, "same_group_as", "no-such-group"), True, 1,
                            [[SURVIVORS, 5, "same_group_as", "foreign-key"]]),
    # Arrests: another source's different number for the same count (same_count_as) counts the
    # same people, scope, nationality and sex, gives another value, is dated near the row it
    # names, and names a first report.
    "same-count-other-nationality": (append_row(ARRESTS, {"observation_id": "count-vnm", "source_id": OTHER_SOURCE,
                                                          "value": "430", "quote": "included 430 Vietnamese",
                                                          "same_count_as": AP_TOTAL}, like_row=3), True, 1,
                                     [[ARRESTS, 24, "same_count_as", "same-count"]]),
    "same-count-same-source": (append_row(ARRESTS, {"observation_id": "count-total", "metric": "arrested", "value": "2270",
                                                    "quote": "brought to 2,270 the total number arrested",
                                                    "same_count_as": AP_TOTAL}, like_row=2), True, 1,
                               [[ARRESTS, 24, "same_count_as", "same-count"]]),
    "same-count-same-value": (append_row(ARRESTS, {"observation_id": "count-total", "source_id": OTHER_SOURCE,
                                                   "metric": "arrested", "same_count_as": AP_TOTAL}, like_row=2), True, 1,
                              [[ARRESTS, 24, "same_count_as", "same-count-value"]]),
    "same-count-far-date": (append_row(ARRESTS, {"observation_id": "count-total", "source_id": OTHER_SOURCE,
                                                 "value": "2270", "quote": "brought to 2,270 the total number detained",
                                                 "as_of": "2025-09-30", "same_count_as": AP_TOTAL}, like_row=2), True, 1,
                            [[ARRESTS, 24, "same_count_as", "same-count-date"]]),
    "same-count-chain": (in_turn(append_row(ARRESTS, {"observation_id": "count-1", "source_id": OTHER_SOURCE,
                                                      "value": "2270", "quote": "brought to 2,270 the total number detained",
                                                      "same_count_as": AP_TOTAL}, like_row=2),
                                 append_row(ARRESTS, {"observation_id": "count-2", "source_id": "guardian-20260121-releases",
                                                      "value": "2300", "quote": "brought to 2,300 the total number detained",
                                                      "same_count_as": "count-1"}, like_row=2)),
                         True, 1, [[ARRESTS, 25, "same_count_as", "same-count-chain"]]),
    "dangling-same-count": (append_row(ARRESTS, {"observation_id": "count-total", "source_id": OTHER_SOURCE,
                                                 "value": "2270", "quote": "brought to 2,270 the total number detained",
                                                 "same_count_as": "no-such-row"}, like_row=2), True, 1,
                            [[ARRESTS, 24, "same_count_as", "foreign-key"]]),
}


def main() -> None:
    if "--from-shipped" in sys.argv:
        shutil.rmtree(VALID, ignore_errors=True)
        shutil.copytree(REPO / "datapackage", VALID, ignore=shutil.ignore_patterns("README.md"))
    shutil.rmtree(INVALID, ignore_errors=True)
    cases = {**CASES, **HARDENING_CASES}
    for name, (mutate, rehash_after, exit_code, problems, *descriptor) in cases.items():
        case = INVALID / name
        shutil.copytree(VALID, case)
        mutate(case)
        if rehash_after:
            rehash(case)
        expected = {"exit_code": exit_code, "problems": problems}
        if descriptor:  # validated as named on the command line, not the folder's datapackage.json
            expected["descriptor"] = descriptor[0]
        (case / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} invalid cases under {INVALID}")


if __name__ == "__main__":
    main()
