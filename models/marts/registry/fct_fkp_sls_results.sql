{#-
    One row per SLS of a desa's FKP Berita Acara: households of the prelist, added at the
    forum, and the total to enumerate (prelist + added; the written total is kept beside it).
-#}
with

sls_results as (

    select * from {{ ref('int_fkp__sls_results_accepted') }}

)

select
    sls_results.village_code,
    sls_results.sls_number,
    sls_results.sls_name,
    sls_results.prelist_households,
    sls_results.added_households,
    sls_results.prelist_households + sls_results.added_households as total_households,
    sls_results.reported_total_households
from sls_results
