{#-
    Which FKP rows reach the marts. Quarantined by the first rule that applies:
      unknown_village     KDPROP..KDDESA name no desa of the region list
      missing_counts      the prelist or added count is missing or not a number
      duplicate_sls       the same desa and SLS name on an earlier row
-#}
with

sls_results as (

    select * from {{ ref('stg_fkp__sls_results') }}

),

villages as (

    select village_code from {{ ref('int_regions__bps_villages') }}

),

ranked as (

    select
        sls_results.source_file,
        sls_results.source_line,
        sls_results.bps_village_code as village_code,
        sls_results.village_name,
        sls_results.sls_number,
        sls_results.sls_name,
        sls_results.prelist_households,
        sls_results.added_households,
        sls_results.reported_total_households,
        sls_results._cast_failures as cast_failures,
        row_number() over (
            partition by sls_results.bps_village_code, sls_results.sls_name
            order by sls_results.source_file, sls_results.source_line
        ) as sls_occurrence
    from sls_results

),

final as (

    select
        ranked.*,
        case
            when villages.village_code is null then 'unknown_village'
            when ranked.prelist_households is null or ranked.added_households is null
                then 'missing_counts'
            when ranked.sls_occurrence > 1 then 'duplicate_sls'
        end as quarantine_rule
    from ranked
    left join villages
        on ranked.village_code = villages.village_code

)

select * from final
