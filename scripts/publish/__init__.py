"""Publication of the target desil (the 40% lowest in the BDT): tables by region x desil from
the BI warehouse (bdt.duckdb) with disclosure control, as tidy CSV and, in an Indonesian and an
English edition, an Excel workbook and an HTML/Markdown report with charts; and the FKP Berita
Acara of every desa (administrative records, not statistical tables).

    python -m scripts.publish --warehouse warehouse/bdt.duckdb --out output/
        [--level kabupaten|kecamatan|desa] [--region CODE ...] [--k 5] [--small-base 30]
        [--locale id|en|both] [--no-progress]

Modules: warehouse (reads the marts), tables (one function per table), suppression (disclosure
control), tidy (published cells, CSV), edition (languages, number formats, the imprint), layout
(a panel with bases, unknown counts and flags), excel, charts, report (HTML/MD), berita_acara,
labels (every text in Indonesian and English), model (shared shapes), pipeline (the step end to
end), deliveries (the date of the data from marts.dim_delivery; the history marts read as
counts; the kinds of change, desil categories and freshness bands, defined once) and
history_tables (tables 11-14 over the deliveries: changes between the two latest by region x
desil, the desil transition matrix, households by desil in every delivery, freshness).
"""
