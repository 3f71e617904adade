{#-
    Disclosure risk of the BI microdata, measured as k-anonymity: the k of a BDT household on a
    quasi-identifier set is the number of BDT households of the whole warehouse that share its
    values; k = 1 means the household is unique, so anyone who knows those few facts about it
    finds its row (desil, programs, disability, illness). Two sets, each including the village:
      household_profile  village + SLS name + household size + head's sex + head's age
      members_sex_age    village + the multiset of (sex, age) of the household's members
    Because the village is part of every set, every class (households sharing the values) lies
    in one village, hence in one kecamatan and one kabupaten: the classes are counted by one
    group-by each, and the regions add up their classes' households without any join back to
    the rows. A null quasi-identifier value is a value of its own (what an intruder sees in the
    BI database). PKH non-BDT families are left out (why: the model's description).
-#}
{%- set k_thresholds = [3, 5] -%}
{%- set counted = ['class_count', 'households', 'persons', 'unique_households', 'unique_persons'] -%}
{%- for threshold in k_thresholds -%}
    {%- do counted.extend(['k_below_' ~ threshold ~ '_households', 'k_below_' ~ threshold ~ '_persons']) -%}
{%- endfor -%}
{%- set region_levels = [
    ('total', "'total'", "'Total'"),
    ('kabupaten', 'regions.regency_code', 'regions.regency_name'),
    ('kecamatan', 'regions.district_code', 'regions.district_name'),
] -%}

with

households as (

    select
        household_key,
        village_code,
        sls_name,
        member_count,
        head_sex_code,
        head_age
    from {{ ref('dim_household') }}
    where household_source = 'BDT'

),

member_sex_ages as (

    select
        household_key,
        coalesce(cast(sex_code as {{ dbt.type_string() }}), '?')
        || '-'
        || coalesce(cast(age_years as {{ dbt.type_string() }}), '?') as sex_age
    from {{ ref('dim_individual') }}

),

member_profiles as (

    select
        household_key,
        {{ multiset_key('sex_age') }} as member_profile
    from member_sex_ages
    group by household_key

),

regions as (

    select
        village_code,
        district_code,
        district_name,
        regency_code,
        regency_name
    from {{ ref('dim_region') }}

),

household_profile_classes as (

    select
        'household_profile' as quasi_identifier_set,
        village_code,
        count(*) as k,
        sum(member_count) as persons
    from households
    group by
        village_code,
        sls_name,
        member_count,
        head_sex_code,
        head_age

),

members_sex_age_classes as (

    select
        'members_sex_age' as quasi_identifier_set,
        households.village_code,
        count(*) as k,
        sum(households.member_count) as persons
    from households
    left join member_profiles
        on households.household_key = member_profiles.household_key
    group by
        households.village_code,
        coalesce(member_profiles.member_profile, '')

),

equivalence_classes as (

    select
        quasi_identifier_set,
        village_code,
        k,
        persons
    from household_profile_classes

    union all

    select
        quasi_identifier_set,
        village_code,
        k,
        persons
    from members_sex_age_classes

),

village_counts as (

    select
        quasi_identifier_set,
        village_code,
        sum(k) as households,
        sum(persons) as persons,
        sum(case when k = 1 then k else 0 end) as unique_households,
        sum(case when k = 1 then persons else 0 end) as unique_persons,
        {%- for threshold in k_thresholds %}
            sum(case when k < {{ threshold }} then k else 0 end) as k_below_{{ threshold }}_households,
            sum(case when k < {{ threshold }} then persons else 0 end) as k_below_{{ threshold }}_persons,
        {%- endfor %}
        count(*) as class_count
    from equivalence_classes
    group by quasi_identifier_set, village_code

),

region_counts as (

    {%- for level, code, name in region_levels %}

        select
            village_counts.quasi_identifier_set,
            '{{ level }}' as region_level,
            {{ code }} as region_code,
            {%- for column in counted %}
                sum(village_counts.{{ column }}) as {{ column }},
            {%- endfor %}
            {{ name }} as region_name
        from village_counts
        inner join regions
            on village_counts.village_code = regions.village_code
        group by
            {%- if level != 'total' %}
                {{ code }},
                {{ name }},
            {%- endif %}
            village_counts.quasi_identifier_set

        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

unit_counts as (

    {%- for unit, plural in [('household', 'households'), ('person', 'persons')] %}

        select
            quasi_identifier_set,
            region_level,
            region_code,
            region_name,
            '{{ unit }}' as unit,
            class_count,
            {{ plural }} as total_count,
            {%- for threshold in k_thresholds %}
                k_below_{{ threshold }}_{{ plural }} as k_below_{{ threshold }}_count,
            {%- endfor %}
            unique_{{ plural }} as unique_count
        from region_counts

        {%- if not loop.last %}

            union all
        {%- endif %}
    {%- endfor %}

),

final as (

    select
        quasi_identifier_set,
        region_level,
        region_code,
        region_name,
        unit,
        cast(class_count as bigint) as class_count,
        cast(total_count as bigint) as total_count,
        cast(unique_count as bigint) as unique_count,
        {%- for threshold in k_thresholds %}
            cast(k_below_{{ threshold }}_count as bigint) as k_below_{{ threshold }}_count,
            cast(k_below_{{ threshold }}_count as {{ type_double() }}) / nullif(total_count, 0)
                as k_below_{{ threshold }}_share,
        {%- endfor %}
        cast(unique_count as {{ type_double() }}) / nullif(total_count, 0) as unique_share
    from unit_counts

)

select
    quasi_identifier_set,
    region_level,
    region_code,
    region_name,
    unit,
    class_count,
    total_count,
    unique_count,
    unique_share,
    k_below_3_count,
    k_below_3_share,
    k_below_5_count,
    k_below_5_share
from final
