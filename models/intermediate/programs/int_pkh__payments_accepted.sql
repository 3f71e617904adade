{#-
    The PKH payment rows (family x stage) that reach the marts: the rows of int_pkh__payments_resolved that no quarantine rule kept out.
    The one place that says what "accepted" means; models downstream read this view instead of
    filtering the resolved model themselves.
-#}
{{ config(materialized='view') }}

select * from {{ ref('int_pkh__payments_resolved') }}
where quarantine_rule is null
