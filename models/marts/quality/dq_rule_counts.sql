{#-
    How often each data quality rule fired, per raw table: rows (and cells for cell rules).
    No personal data: counts only. Rules that did not fire are listed with zero.
-#}
with

issues as (

    select * from {{ ref('int_quality__issues') }}

),

rules as (

    select * from {{ ref('dq_rules') }}

),

counts as (

    select
        raw_table,
        rule_code,
        count(*) as row_count,
        cast(sum(cell_count) as bigint) as cell_count
    from issues
    group by raw_table, rule_code

)

select
    rules.rule_code,
    rules.action,
    rules.unit,
    counts.raw_table,
    coalesce(counts.row_count, 0) as row_count,
    coalesce(counts.cell_count, 0) as cell_count,
    rules.description
from rules
left join counts
    on rules.rule_code = counts.rule_code
