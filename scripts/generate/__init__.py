"""Synthetic raw data generator: the files an agency receives (BDT household and individual
exports, PKH payment lists per stage, FKP results per SLS), with realistic content and defects.

    python -m scripts.generate --profile tanjungbalai --out data/raw [--seed 2017]
        [--households N] [--regions FOLDER] [--format csv|parquet|xlsx] [--delimiter ';']
        [--bom] [--crlf] [--dirt KIND=RATE ...] [--dirt-scale X] [--chunk-size N] [--no-progress]

Column headers come from the raw file contract (scripts.contract). Every defect injected is
listed in manifest_defects.csv and counted in manifest.json.
"""
