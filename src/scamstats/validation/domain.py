"""Running the domain rules of `scamstats.schemas` on a typed table.

The rules are first evaluated directly; pandera (which imports pandas) is imported and run only
when some rule fails, to report its failure cases, one problem per row and rule (the first
`PROBLEMS_PER_CHECK` of each field and check, then a count).
"""

from __future__ import annotations

import polars as pl

from scamstats.rules import RuleContext
from scamstats.schemas import DomainRule, domain_schema, rules_for
from scamstats.validation.report import PROBLEMS_PER_CHECK, Problem, omitted


def check_domain(file: str, resource: str, typed: pl.DataFrame, ctx: RuleContext) -> list[Problem]:
    """Return the failures of the resource's pandera domain schema, one per row and rule."""
    rules = rules_for(resource)
    if not rules or typed.is_empty() or any(r.field not in typed.columns for r in rules):
        return []
    if all_rules_hold(rules, typed, ctx):
        return []  # pandera would report nothing: no need to import it
    import pandera.polars as pa

    try:
        domain_schema(resource, ctx).validate(typed, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    # The first rows of each field and check, in order, then a count (as `problems_from_mask`).
    failures: dict[tuple[str, str], list[tuple[int, DomainRule]]] = {}
    for index, rule_number in cases.select("index", "check").iter_rows():
        if index is None:
            continue
        rule = rules[int(rule_number)]
        failures.setdefault((rule.field, rule.check), []).append((index, rule))
    problems = []
    for (field, check), found in failures.items():
        found.sort(key=lambda failure: failure[0])
        for index, rule in found[:PROBLEMS_PER_CHECK]:
            problems.append(Problem(file, index + 2, rule.field, rule.check, rule.describe(typed.row(index, named=True))))
        problems += omitted(file, field, check, len(found) - PROBLEMS_PER_CHECK)
    return problems


def all_rules_hold(rules: list[DomainRule], typed: pl.DataFrame, ctx: RuleContext) -> bool:
    """Return True when every rule gives True (not False, not null) for every row.

    Then the pandera schema of these rules finds no failure case, so pandera need not run;
    otherwise (a rule fails, raises, or returns something else) pandera runs the rules and
    reports their failures."""
    for rule in rules:
        try:
            ok = rule.ok(typed, ctx)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException:  # noqa: BLE001 - pandera then runs the rule and does what it did
            return False
        if not (isinstance(ok, pl.Series) and ok.dtype == pl.Boolean and ok.len() == typed.height
                and ok.null_count() == 0 and ok.all()):
            return False
    return True
