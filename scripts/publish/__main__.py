"""CLI of the publication step: python -m scripts.publish --warehouse FILE --out DIR."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from .edition import BOTH, LOCALES, REPORT_STEM
from .labels import LEVELS
from .pipeline import Publication, publish
from .suppression import SMALL_BASE_DEFAULT
from .warehouse import AUTO_LEVEL_MAX_ROWS, WarehouseError


def _threshold(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("k must be 1 or more")
    return number


def parsed_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.publish",
        description="Publication tables of the target desil (the 40%% lowest in the BDT) by "
        "region and desil (Excel, CSV, HTML/Markdown report with charts, in an Indonesian and "
        "an English edition) and the FKP Berita Acara of every desa, from the BI warehouse, "
        "with small-cell suppression.",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path("warehouse/bdt.duckdb"),
        help="the BI database (default warehouse/bdt.duckdb); never raw.duckdb or pii.duckdb",
    )
    parser.add_argument(
        "--out", type=Path, default=Path("output"), help="output folder (default output/)"
    )
    parser.add_argument(
        "--level",
        choices=["auto", *LEVELS],
        default="auto",
        help="region level of the rows (default auto: kecamatan, or kabupaten when the "
        f"selection has more than {AUTO_LEVEL_MAX_ROWS} kecamatan)",
    )
    parser.add_argument(
        "--region",
        nargs="+",
        default=[],
        metavar="CODE",
        help="keep only these regions: BPS code prefixes (province 2, kabupaten 4, "
        "kecamatan 7, desa 10 digits)",
    )
    parser.add_argument(
        "--k",
        type=_threshold,
        default=5,
        help="suppression threshold: no count below k, no value from fewer than k units "
        "(default 5)",
    )
    parser.add_argument(
        "--small-base",
        type=_threshold,
        default=SMALL_BASE_DEFAULT,
        help="flag a share, mean or ratio computed from fewer units than this (default 30) as "
        "imprecise",
    )
    parser.add_argument(
        "--berita-acara-max",
        type=int,
        default=2000,
        help="write the Berita Acara of every desa of the selection when there are at most "
        "this many (default 2,000; national runs: choose desa with --region)",
    )
    parser.add_argument(
        "--locale",
        choices=LOCALES,
        default=BOTH,
        help="editions written (default both): id = Indonesian texts and numbers (2.034; 15,1: "
        "bdt_tables.xlsx, report.html, report.md, charts/*.png), en = English (2,034; 15.1: "
        "bdt_tables_en.xlsx, report_en.html, report_en.md, charts/*_en.png); the CSV tables "
        "are machine format in either case",
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bars")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parsed_arguments(argv)
    try:
        publication = publish(
            arguments.warehouse,
            arguments.out,
            level=arguments.level,
            regions=arguments.region,
            k=arguments.k,
            small_base=arguments.small_base,
            locale=arguments.locale,
            progress=not arguments.no_progress,
            berita_acara_max=arguments.berita_acara_max,
        )
    except WarehouseError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except duckdb.Error as exc:
        print(f"error: {arguments.warehouse}: {exc}", file=sys.stderr)
        return 2
    print(summary(publication, arguments.out))
    print(f"the report: {arguments.out / publication.editions[0].file_name(REPORT_STEM, '.html')}")
    return 0


def summary(publication: Publication, out: Path) -> str:
    """What was written, counted as the progress bars count it: tables, editions, desa."""
    suppressed = sum(int(table.cells["suppressed"].sum()) for table in publication.tables)
    editions = len(publication.editions)
    languages = ", ".join(edition.language for edition in publication.editions)
    return (
        f"wrote {len(publication.tables)} tables ({suppressed:,} cells suppressed) in {editions} "
        f"edition{'s' if editions != 1 else ''} ({languages}: workbook, charts, report) and the "
        f"Berita Acara of {publication.villages} desa into {out} in {publication.seconds:.1f} s"
    )


if __name__ == "__main__":
    sys.exit(main())
