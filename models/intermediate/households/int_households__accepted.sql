{#-
    The BDT household rows that reach the marts: the rows of int_households__resolved that no quarantine rule kept out.
    The one place that says what "accepted" means; models downstream read this view instead of
    filtering the resolved model themselves.
-#}
{{ config(materialized='view') }}

select * from {{ ref('int_households__resolved') }}
where quarantine_rule is null
