"""What a build took from the raw layer, in a few lines: the delivery the marts show, rows per
raw table loaded, kept and quarantined, and the rules that hit most rows (from
marts.dim_delivery, quality.dq_reconciliation and quality.dq_rule_counts of the published
warehouse)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

DELIVERY_QUERY = (
    "select delivery, cast(as_of_date as varchar), (select count(*) from marts.dim_delivery)"
    " from marts.dim_delivery where is_current"
)
RECONCILIATION_QUERY = (
    "select raw_table, raw_rows, mart_rows, quarantined_rows from quality.dq_reconciliation"
    " where delivery = (select delivery from marts.dim_delivery where is_current)"
    " order by raw_table"
)
# Rules that took rows out (quarantined) first, then those that flagged rows; cell repairs are
# in quality.dq_rule_counts.
RULES_QUERY = (
    "select rule_code, action, raw_table, row_count from quality.dq_rule_counts"
    " where row_count > 0 and action in ('quarantined', 'flagged')"
    " order by action = 'flagged', row_count desc, rule_code, raw_table"
)
TOP_RULES = 5

Rows = Sequence[Sequence[object]]


def summary_lines(
    rows_of: Callable[[str], Rows], bi_location: str, restricted_location: str
) -> list[str]:
    """The summary, from `rows_of(query)` run on the published BI database."""
    reconciliation = rows_of(RECONCILIATION_QUERY)
    lines = [
        f"the marts show delivery {delivery} (as of {as_of}; {count} "
        f"{'delivery' if count == 1 else 'deliveries'} loaded, marts.dim_delivery)"
        for delivery, as_of, count in rows_of(DELIVERY_QUERY)
    ]
    lines.append(f"{'raw table':<18} {'loaded':>12} {'kept':>12} {'quarantined':>12}")
    lines += [
        f"{table:<18} {loaded:>12,} {kept:>12,} {quarantined:>12,}"
        for table, loaded, kept, quarantined in reconciliation
    ]
    rules = rows_of(RULES_QUERY)
    if rules:
        lines.append("top rules (rows):")
        lines += [
            f"  {rule:<34} {action:<12} {table:<18} {count:>10,}"
            for rule, action, table, count in rules[:TOP_RULES]
        ]
    lines.append(
        "per rule and table: quality.dq_rule_counts and quality.dq_reconciliation in "
        f"{bi_location}; the rejected rows with their values: identity.dq_rejected_rows in "
        f"{restricted_location} (restricted)"
    )
    return lines
