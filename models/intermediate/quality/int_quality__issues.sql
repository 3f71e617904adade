{#-
    Every data quality rule hit, one row per raw row and rule (and column, for cell rules):
    the quarantines that keep a row out of the marts, the flags on rows that reach them and
    the repairs made in staging. Rules are described in the seed dq_rules. Flags are counted
    on rows that reach the marts only, so that each defect is attributed to one rule.
    Restricted: `offending_value` can be personal data (a NIK).
-#}
{#- The resolved models are read by name in every branch, not through CTEs: a CTE read more than
    once is materialised by DuckDB, which at national size spilled 124 M member rows to disk. -#}
{%- set relations = {
    'individuals': ref('int_individuals__resolved'),
    'households': ref('int_households__resolved'),
    'accepted_individuals': ref('int_individuals__accepted'),
    'accepted_households': ref('int_households__accepted'),
    'payments': ref('int_pkh__payments_resolved'),
    'sls_results': ref('int_fkp__sls_results_resolved'),
    'stg_fkp': ref('stg_fkp__sls_results'),
} -%}
{#- Quarantines: (raw table, resolved model, raw column named by default, the raw column named
    by a rule when it is another one). -#}
{%- set quarantines = [
    ('bdt_households', 'households', 'idbdt', {'unknown_village': 'kddesa'}),
    ('bdt_individuals', 'individuals', 'idartbdt', {
        'orphan_individual': 'idbdt',
        'household_quarantined': 'idbdt',
        'duplicate_nik_within_household': 'nik',
        'duplicate_nik_across_households': 'nik',
    }),
    ('pkh_payments', 'payments', 'idpkh', {
        'invalid_payment_stage': 'tahap',
        'pkh_family_unknown_village': 'kddesa',
    }),
    ('fkp_sls_results', 'sls_results', 'nama_sls', {
        'unknown_village': 'kddesa',
        'missing_counts': 'jumlah_prelist',
    }),
] -%}
{#- Repairs made in staging: the rule of each counter (its name without a leading underscore). -#}
{%- set repair_rules = {
    'trimmed_cells': 'whitespace_trimmed',
    'placeholder_cells': 'placeholder_value',
    'padded_codes': 'region_code_padded',
    'zero_date_cells': 'payment_date_zero',
} -%}
{#- Flags on the member rows that reach the marts: (rule code, raw column, when). -#}
{%- set member_flags = [
    ("'nik_' || nik_problem", 'nik', 'nik_problem is not null'),
    ("'nik_sex_mismatch'", 'jnskel', 'not nik_sex_matches'),
    ("'nik_birth_date_mismatch'", 'tgllahir', 'not nik_birth_date_matches'),
    ("'birth_date_zero'", 'tgllahir', 'zero_date_cells > 0'),
    ("'skip_rule_breach'", 'sta_kb',
        '(uses_family_planning_code is not null or family_planning_method_code is not null)'
        ~ ' and not (' ~ is_family_planning_asked(
            'sex_code', 'marital_status_code', 'age_at_reference') ~ ')'),
    ("'skip_rule_breach'", 'lapangan_usahaart',
        '(own_business_sector_code is not null or own_business_worker_count is not null'
        ~ ' or own_business_fixed_place_code is not null'
        ~ ' or own_business_turnover_code is not null)'
        ~ ' and not (' ~ is_job_asked('worked_code') ~ ')'),
    ("'skip_rule_breach'", 'sta_sekolah',
        'school_ownership_code is not null and not ('
        ~ is_school_status_asked('school_participation_code') ~ ')'),
] -%}

with

member_heads as (

    {#- Heads as delivered: every member row of the household, kept or quarantined. -#}
    select
        household_id,
        count(case when relation_to_head_code = 1 then 1 end) as head_count
    from {{ relations['individuals'] }}
    where household_found
    group by household_id

),

quarantined_rows as (

    {%- for raw_table, model, default_column, rule_columns in quarantines %}
        select
            '{{ raw_table }}' as raw_table,
            source_file,
            source_line,
            quarantine_rule as rule_code,
            case quarantine_rule
                {%- for rule_code, column_name in rule_columns.items() %}
                    when '{{ rule_code }}' then '{{ column_name }}'
                {%- endfor %}
                else '{{ default_column }}'
            end as column_name,
            1 as cell_count
        from {{ relations[model] }}
        where quarantine_rule is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

flagged_members as (

    {%- for rule_code, column_name, condition in member_flags %}
        select
            'bdt_individuals' as raw_table,
            source_file,
            source_line,
            {{ rule_code }} as rule_code,
            '{{ column_name }}' as column_name,
            1 as cell_count
        from {{ relations['accepted_individuals'] }}
        where {{ condition }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

households_without_one_head as (

    select
        'bdt_households' as raw_table,
        households.source_file,
        households.source_line,
        case
            when coalesce(member_heads.head_count, 0) = 0 then 'household_without_head'
            else 'household_with_several_heads'
        end as rule_code,
        'hub_krt' as column_name,
        1 as cell_count
    from {{ relations['accepted_households'] }} as households
    left join member_heads
        on households.household_id = member_heads.household_id
    where coalesce(member_heads.head_count, 0) <> 1

),

list_rules as (

    {%- for raw_table, model, list_column, rule_code in [
        ('bdt_households', 'households', 'codes_out_of_range', 'code_out_of_range'),
        ('bdt_households', 'households', 'cast_failures', 'not_a_valid_value'),
        ('bdt_individuals', 'individuals', 'codes_out_of_range', 'code_out_of_range'),
        ('bdt_individuals', 'individuals', 'cast_failures', 'not_a_valid_value'),
        ('pkh_payments', 'payments', '_cast_failures', 'not_a_valid_value'),
        ('fkp_sls_results', 'sls_results', 'cast_failures', 'not_a_valid_value'),
    ] %}
        select
            '{{ raw_table }}' as raw_table,
            source_file,
            source_line,
            '{{ rule_code }}' as rule_code,
            {{ split_to_rows(list_column) }} as column_name,
            1 as cell_count
        from {{ relations[model] }}
        where {{ list_column }} is not null
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

cell_repairs as (

    {%- for raw_table, model, counters in [
        ('bdt_households', 'households', ['trimmed_cells', 'placeholder_cells', 'padded_codes']),
        ('bdt_individuals', 'individuals', ['trimmed_cells', 'placeholder_cells', 'padded_codes']),
        ('pkh_payments', 'payments', ['_trimmed_cells', '_placeholder_cells', '_padded_codes', '_zero_date_cells']),
        ('fkp_sls_results', 'stg_fkp', ['_trimmed_cells', '_placeholder_cells', '_padded_codes']),
    ] %}
        {%- set outer_loop = loop %}
        {%- for counter in counters %}
            select
                '{{ raw_table }}' as raw_table,
                source_file,
                source_line,
                '{{ repair_rules[counter.lstrip('_')] }}' as rule_code,
                cast(null as {{ dbt.type_string() }}) as column_name,
                {{ counter }} as cell_count
            from {{ relations[model] }}
            where {{ counter }} > 0
            {%- if not (outer_loop.last and loop.last) %}
                union all
            {%- endif %}
        {%- endfor %}
    {%- endfor %}

),

issues as (

    select * from quarantined_rows
    union all
    select * from flagged_members
    union all
    select * from households_without_one_head
    union all
    select * from list_rules
    union all
    select * from cell_repairs

),

rules as (

    select
        rule_code,
        action
    from {{ ref('dq_rules') }}

)

select
    issues.raw_table,
    issues.source_file,
    issues.source_line,
    issues.rule_code,
    rules.action,
    issues.column_name,
    issues.cell_count
from issues
left join rules
    on issues.rule_code = rules.rule_code
