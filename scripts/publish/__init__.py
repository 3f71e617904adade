"""Publication of the 40% lowest: tables by region x desil from the BI warehouse (bdt.duckdb)
with disclosure control, as an Excel workbook, tidy CSV, an HTML/Markdown report with charts,
and the FKP Berita Acara of every desa.

    python -m scripts.publish --warehouse warehouse/bdt.duckdb --out output/
        [--level kabupaten|kecamatan|desa] [--region CODE ...] [--k 5] [--no-progress]

Modules: warehouse (reads the marts), tables (one function per table), suppression (disclosure
control), tidy (published cells, CSV), excel, charts, report (HTML/MD), berita_acara, labels
(every text in Indonesian and English), model (shared shapes), pipeline (the step end to end).
"""
