{#-
    The BDT individual rows that reach the marts: the rows of int_individuals__resolved that no quarantine rule kept out.
    The one place that says what "accepted" means; models downstream read this view instead of
    filtering the resolved model themselves.
-#}
{{ config(materialized='view') }}

select * from {{ ref('int_individuals__resolved') }}
where quarantine_rule is null
