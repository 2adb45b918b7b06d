"""Where sources disagree: every group of claims of the same thing with different numbers and
every claim its reports word differently (`stats.conflict_sides`), and every operation
reported with different counts (`stats.operation_conflict_sides`); each card with the range
and who says what on the page itself, computed from the data."""

from __future__ import annotations

import streamlit as st
from charts import operation_cards, publishers, rows_with_sources
from widgets import Version, View, empty, folded, memo, plain, quote_blocks, section

from scamstats import labels, stats

SECTIONS = {"claims_disagree": "Numbers that differ", "reports_disagree": "One figure, worded differently",
            "operations": "Raids and rescues"}
INTROS = {
    "claims_disagree": "Claims of the same count (metric, baseline, date, place, nationality and sex) by sources "
                       "that share no origin, with different numbers.",
    "reports_disagree": "One announced figure that pages relay with another verb, baseline, date or hedge: one "
                        "claim, counted once, but worth knowing when you read the pages.",
    "operations": "Raids and rescues whose reports give different numbers of people; the operation is counted "
                  "once, under the report marked 'counted'.",
}


def show(version: Version) -> View:
    view = View("disagree", version)
    package = version.package
    st.title("Where sources disagree")
    st.markdown("Figures that disagree are kept side by side, never averaged or silently chosen. Each card is "
                "one thing that sources give differently: the range, and who gives which number, with their "
                "quotes. The list is computed from the data, so it follows every new row.")
    shown = section(view, SECTIONS)
    st.caption(INTROS[shown])
    if shown == "operations":
        operations = memo(version, "operation-conflicts", (), lambda: stats.operation_conflicts(package))
        if not operations.height:
            empty("No operation's reports disagree in this package version.")
            return view
        st.subheader(f"{operations.height} operation{'s' if operations.height != 1 else ''} reported with different counts")
        operation_cards(view, package)
        view.data, view.data_name = operations, "operations-disagree"
        return view
    sides = memo(version, "conflict-sides", (), lambda: stats.conflict_sides(package))
    sides = sides.filter(sides["kind"] == shown)
    if not sides.height:
        empty("Sources agree on every figure of this kind in this package version.")
        return view
    by_group: dict[str, list[dict]] = {}
    for side in sides.iter_rows(named=True):
        by_group.setdefault(side["conflict_id"], []).append(side)
    st.subheader(f"{len(by_group)} figure{'s' if len(by_group) != 1 else ''} "
                 f"{'on which sources disagree' if shown == 'claims_disagree' else 'worded differently by its reports'}")
    for group_sides in by_group.values():
        with st.container(border=True):
            conflict_card(view, group_sides)
    view.data, view.data_name = sides, f"disagreements-{shown}"
    return view


def describe(row: dict) -> str:
    """What is counted: 'detained · nationwide · Indonesia · since 27 June 2025 · as of 18 July 2025'."""
    scope = row.get("scope")
    words = [labels.metric_label(row["metric"]) if row.get("metric") else "",
             "" if not scope else "nationwide" if scope == "national" else
             labels.province_name(scope) if scope.startswith("KH-") else scope,
             labels.country_name(row["nationality"]) if row.get("nationality") else "",
             row.get("sex") or "",
             labels.baseline_label(row.get("baseline")),
             f"as of {labels.format_date(row['as_of'], row.get('as_of_precision') or 'day')}" if row.get("as_of") else ""]
    return " · ".join(word for word in words if word)


# What a report may give otherwise than a claim's first report (`differs`), in words.
FIELD_WORDS = {"metric": "what is counted", "qualifier": "hedge", "baseline": "start date", "as_of": "date",
               "scope": "place", "nationality": "nationality", "sex": "sex"}


def reported_word(side: dict, field: str) -> str:
    """How a report words a claim where it differs from the first report: 'detained',
    'since 14 July 2025', 'as of July 2025', 'nationwide' (the hedge is in its count)."""
    if field == "metric" and side.get("reported_metric"):
        return labels.metric_label(side["reported_metric"])
    if field == "baseline":
        return labels.baseline_label(side.get("reported_baseline"))
    if field == "as_of" and side.get("reported_as_of"):
        return f"as of {labels.format_date(side['reported_as_of'], side.get('reported_as_of_precision'))}"
    if field == "scope" and side.get("reported_scope"):
        scope = side["reported_scope"]
        return "nationwide" if scope == "national" else labels.province_name(scope) if scope.startswith("KH-") else scope
    if field == "nationality":
        return labels.country_name(side.get("reported_nationality"))
    if field == "sex":
        return side.get("reported_sex") or "either sex"
    return ""


def conflict_card(view: View, sides: list[dict]) -> None:
    """One conflict (`stats.conflict_sides` rows of one `conflict_id`): the range of the values
    the sides give, what they count, each side with its sources, and every quote."""
    values = [side["value"] for side in sides if side["value"] is not None]
    if values:
        st.markdown(f"#### {plain(labels.format_count_range(min(values), max(values), None))}")
    st.markdown(plain(describe(sides[0])))
    lines = []
    for side in sides:
        said = labels.format_count(side["value"], side["qualifier"])
        line = (f"**{plain(said)}**: {plain(publishers(view, side['source_ids']))} "
                f"({plain(labels.reports_label(side['reports'] or 1, len(side['origins'] or [])))})")
        worded = [d for d in side.get("differs") or [] if d != "value"]
        if worded:
            reported = [word for field in worded if (word := reported_word(side, field))]
            line += (f", reported as {plain(', '.join(reported))}" if reported else "") + \
                f" (differs in {plain(', '.join(FIELD_WORDS.get(field, field) for field in worded))})"
        lines.append(f"- {line}")
    st.markdown("\n".join(lines))
    box = folded("Quotes and links", f"{sides[0]['conflict_id']}.quotes", popover=True, icon=":material/format_quote:")
    if box is not None:
        with box:
            quote_blocks(rows_with_sources(view, list(dict.fromkeys(r for side in sides for r in side["row_ids"]))))
