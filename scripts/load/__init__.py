"""The load step: `python -m scripts.load --raw-dir DIR --out warehouse/raw.duckdb`.

Every raw file of DIR goes into the DuckDB database file, schema `raw`, one table per contract
table (see scripts/contract.py), every value as text exactly as in the file, plus
`_source_file` and `_source_line`; `raw._load_files` describes each file loaded. Beside each
table with a column map, `<table>__typed` holds its values trimmed, checked and typed once
(scripts/load/typed.py), which the staging models read.
"""

from .errors import RawFileError
from .pipeline import LoadReport, TableSummary, load_raw_dir

__all__ = ["LoadReport", "RawFileError", "TableSummary", "load_raw_dir"]
