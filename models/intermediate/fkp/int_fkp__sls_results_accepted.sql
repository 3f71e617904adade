{#-
    The FKP rows (one SLS of a desa's Berita Acara) that reach the marts: the rows of
    int_fkp__sls_results_resolved that no quarantine rule kept out.
    The one place that says what "accepted" means; models downstream read this view instead of
    filtering the resolved model themselves.
-#}
{{ config(materialized='view') }}

select * from {{ ref('int_fkp__sls_results_resolved') }}
where quarantine_rule is null
