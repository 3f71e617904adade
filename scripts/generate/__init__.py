"""Synthetic raw data generator: the files an agency receives (BDT household and individual
exports, PKH payment lists per stage, FKP results per SLS), with realistic content and defects.

    python -m scripts.generate --profile tanjungbalai --out data/raw [--seed 2017]
        [--households N] [--regions FOLDER] [--format csv|parquet|xlsx] [--delimiter ';']
        [--bom] [--crlf] [--dirt KIND=RATE ...] [--dirt-scale X] [--chunk-size N] [--no-progress]
        [--deliveries K] [--interval-months M]

Column headers come from the raw file contract (scripts.contract). Every defect injected is
listed in manifest_defects.csv and counted in manifest.json.

Deliveries over time (--deliveries K above 1): OUT/<YYYY-MM>/ for K deliveries every M months
(default 6) from the PBDT 2015 reference date (2015-07), and OUT/deliveries.json.

- The last delivery is the single-delivery dataset (same rows, defect list and values but Umur,
  see below), so that the sample's totals and published figures stay. Earlier deliveries are
  derived backwards from it chunk by chunk (history.py): each step undoes the changes that led
  to the next delivery. Households that left and members who died come from a shadow population
  generated beside the chunk from streams of their own (IDBDT serials above the desa's, NIK/KK
  serials from 5001), so nothing of the last delivery changes; simulating forward from an
  earlier state could not end on the published sample.
- Umur is the age on each delivery's date (the first day of its month), and each delivery's
  manifest.json gives that date as `reference_date` (what the loader takes as the date of the
  data). So the last delivery differs from the single-delivery dataset (whose date is PBDT
  2015's, 2015-07-01) in Umur, and in the manifest dates and file digests, only; TglLahir and
  every other column are the same. Births are children aged 0-1 at 2015-07-01 (their birth
  dates are those of the single-delivery dataset), first listed later.
- Changes stay within a chunk (moves and splits within a desa) and never touch a PKH household's
  identity or members' presence, so the PKH lists hold in every delivery: each delivery holds
  the stage lists paid before its date (the same bytes in each), the last one the whole series.
- Rates (per year, applied x M / 12 per step): ChangeParameters in demography.py, a field of the
  profile, with their sources. Each delivery's manifest_changes.csv lists every change since
  the previous delivery (keys only: IDBDT, IDARTBDT); manifest.json counts each kind exactly.
  Defects are injected anew into each delivery; a NIK corrected later is listed as a defect in
  the deliveries before.
"""
