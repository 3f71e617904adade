{#-
    PKH spells: the consecutive payment stages of one family form one spell (gaps and islands:
    stage_index minus the family's running stage number is constant within an island). A stage
    on the list with status DITANGGUHKAN or GAGAL SALUR keeps the spell going (the family is
    still enrolled); a stage absent from the lists ends it.
-#}
with

payments as (

    select * from {{ ref('int_pkh__payments_accepted') }}

),

islands as (

    select
        pkh_family_id,
        stage_index,
        payment_year,
        payment_stage,
        is_paid,
        amount_idr,
        stage_index - row_number() over (
            partition by pkh_family_id order by stage_index
        ) as island
    from payments

),

final as (

    select
        pkh_family_id,
        min(stage_index) as first_stage_index,
        max(stage_index) as last_stage_index,
        count(*) as stage_count,
        count(case when is_paid then 1 end) as paid_stage_count,
        sum(case when is_paid then amount_idr else 0 end) as amount_paid_idr
    from islands
    group by pkh_family_id, island

)

select * from final
