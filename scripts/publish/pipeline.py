"""The publication step end to end: read the warehouse, compute and protect the tables, write
the CSV tables, then each edition (language and number format: workbook, charts, report) and
the Berita Acara."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from . import berita_acara, charts, excel, public_tier, report, tidy
from .edition import BOTH, WORKBOOK_STEM, Edition, Imprint, editions_of
from .model import Table
from .suppression import SMALL_BASE_DEFAULT, protected
from .tables import TABLES
from .warehouse import (
    automatic_level,
    checked_selection,
    connected,
    extract,
    fkp_sls_rows,
    reconciliation_summary,
)

# Files this step writes in its own sub-folders; stale ones from an earlier run are removed.
OWN_FILES = {"tables": "[0-9][0-9]_*.csv", "charts": "*.png", "berita_acara": "*.html"}


@dataclass(frozen=True)
class Publication:
    """What was written."""

    tables: list[Table]
    files: list[Path]
    villages: int
    seconds: float
    editions: tuple[Edition, ...] = ()


def built_on(warehouse: Path) -> date:
    """The day the warehouse file was written: the build it holds (a build publishes the
    database by renaming it into place; reading does not touch it)."""
    return date.fromtimestamp(warehouse.stat().st_mtime)


def written_edition(
    tables: list[Table],
    out: Path,
    edition: Edition,
    imprint: Imprint,
    reconciliation: pd.DataFrame,
    other: Edition | None,
) -> list[Path]:
    """The workbook, the charts and the report of one edition."""
    files = [
        excel.written_workbook(
            tables,
            out / edition.file_name(WORKBOOK_STEM, ".xlsx"),
            edition=edition,
            imprint=imprint,
        )
    ]
    drawn = charts.written_charts(tables, out / "charts", edition=edition, imprint=imprint)
    files += [chart.path for chart in drawn]
    files += report.written_report(
        tables,
        drawn,
        out,
        edition=edition,
        imprint=imprint,
        reconciliation=reconciliation,
        other=other,
    )
    return files


def removed_stale_files(out: Path) -> None:
    for folder, pattern in OWN_FILES.items():
        for path in (out / folder).glob(pattern):
            path.unlink()


def publish(
    warehouse: Path,
    out: Path,
    *,
    level: str = "kecamatan",
    regions: Sequence[str] = (),
    k: int = 5,
    small_base: int = SMALL_BASE_DEFAULT,
    locale: str = BOTH,
    progress: bool = True,
    berita_acara_max: int | None = None,
) -> Publication:
    """Write every output of the publication into `out` from the BI database `warehouse`.
    `level` "auto" picks kecamatan or kabupaten rows (automatic_level). The Berita Acara are
    written for every desa of the selection, unless there are more than `berita_acara_max`
    (then none, with a notice: choose desa with --region). Values from fewer than
    `small_base` units are flagged (suppression.protected). `locale` (id, en or both) chooses
    the editions written. The progress bars count the tables, then the editions."""
    started = time.perf_counter()
    with connected(warehouse) as connection:
        if level == "auto":
            level = automatic_level(connection, regions)
        selection = checked_selection(connection, level, regions)
        data = extract(connection, selection)
        sls_rows = fkp_sls_rows(connection, selection)
        reconciliation = reconciliation_summary(connection)
    out.mkdir(parents=True, exist_ok=True)
    removed_stale_files(out)
    bar = tqdm(
        total=len(TABLES), desc="tables", unit="table", file=sys.stderr, disable=not progress
    )
    with bar:
        computed = []
        for table_of in TABLES:
            computed.append(table_of(data))
            bar.update(1)
        tables = protected(computed, k, small_base)
        files = [tidy.written_csv(table, out / "tables") for table in tables]
        files += public_tier.written_public_tier(tables, out / "public", k=k)
    imprint = Imprint(
        selection.description,
        selection.level.label,
        data.bands,
        k,
        small_base,
        warehouse.name,
        built=built_on(warehouse),
        published=date.today(),
        delivery=data.delivery.label,
        as_of=data.delivery.as_of,
    )
    editions = editions_of(locale)
    with (
        tqdm(
            total=len(editions),
            desc="editions",
            unit="edition",
            file=sys.stderr,
            disable=not progress,
        ) as edition_bar,
        ProcessPoolExecutor(max_workers=min(len(editions), os.cpu_count() or 1)) as pool,
    ):
        # The editions share nothing but their inputs: each is written in its own process
        # (matplotlib and openpyxl hold the GIL), so two languages take the time of one.
        written = [
            pool.submit(
                written_edition,
                tables,
                out,
                edition,
                imprint,
                reconciliation,
                next((e for e in editions if e != edition), None),
            )
            for edition in editions
        ]
        for future in as_completed(written):
            future.result()
            edition_bar.update(1)
        files += [path for future in written for path in future.result()]
    villages = sls_rows["village_code"].nunique()
    if berita_acara_max is not None and villages > berita_acara_max:
        print(
            f"note: {villages:,} desa in the selection, more than {berita_acara_max:,}: "
            "no Berita Acara written; choose desa with --region (or --berita-acara-max)",
            file=sys.stderr,
        )
        documents = []
    else:
        documents = berita_acara.berita_acara_per_desa(sls_rows)
    with tqdm(
        total=len(documents),
        desc="berita acara",
        unit="desa",
        file=sys.stderr,
        disable=not progress,
    ) as desa_bar:
        files += berita_acara.written_html_pages(documents, out / "berita_acara", desa_bar)
    files.append(berita_acara.written_workbook(documents, out / "berita_acara.xlsx"))
    return Publication(
        tables, files, len(documents), time.perf_counter() - started, editions=editions
    )
