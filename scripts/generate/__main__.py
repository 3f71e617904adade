"""python -m scripts.generate: write a synthetic BDT/PKH/FKP raw dataset (see README of the
package: scripts/generate/__init__.py)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from scripts.generate.config import (
    DEFAULT_CHUNK_SIZE,
    DEFAULT_INTERVAL_MONTHS,
    DELIMITERS,
    FORMATS,
    PROFILES,
    CsvOptions,
    GeneratorConfig,
)
from scripts.generate.dirt import KIND_NAMES, parse_override
from scripts.generate.pipeline import generate
from scripts.generate.profiles import RegionsError
from scripts.generate.writers import TooManyRowsError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m scripts.generate",
        description="Generate synthetic raw BDT exports (households, individuals), PKH payment "
        "lists and FKP results, with realistic defects and a manifest of them.",
    )
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        help="economic profile and default size: tanjungbalai (default), or national (the "
        "default with --regions: farming rather than fishing, national desil shares)",
    )
    p.add_argument(
        "--out", type=Path, default=Path("data/raw"), help="output folder (default: data/raw)"
    )
    p.add_argument("--seed", type=int, default=2017, help="random seed (default: 2017)")
    p.add_argument(
        "--households",
        type=int,
        help="households in the household file (default: the profile's, 14,500 for tanjungbalai)",
    )
    p.add_argument(
        "--regions",
        type=Path,
        help="folder of BPS MFD lists (provinces, regencies, "
        "districts, villages .csv): spread households over all its villages",
    )
    p.add_argument("--format", choices=FORMATS, default="csv", dest="file_format")
    p.add_argument("--delimiter", choices=DELIMITERS, default=",", help="CSV delimiter")
    p.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark")
    p.add_argument("--crlf", action="store_true", help="CSV: end lines with CR LF")
    p.add_argument(
        "--dirt",
        action="append",
        default=[],
        metavar="KIND=RATE",
        help=f"rate of one defect kind (or table.kind); 0 disables. Kinds: {', '.join(KIND_NAMES)}",
    )
    p.add_argument(
        "--dirt-scale", type=float, default=1.0, help="multiply every default rate (e.g. 10)"
    )
    p.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK_SIZE,
        help=f"households per chunk (default: {DEFAULT_CHUNK_SIZE:,})",
    )
    p.add_argument(
        "--deliveries",
        type=int,
        default=1,
        help="successive deliveries of the same population, written to OUT/<YYYY-MM>/ from "
        "2015-07 (PBDT 2015); the last one is the single-delivery dataset but for Umur, the age "
        "on each delivery's date (default: 1, files directly in OUT)",
    )
    p.add_argument(
        "--interval-months",
        type=int,
        default=DEFAULT_INTERVAL_MONTHS,
        help=f"months between two deliveries (default: {DEFAULT_INTERVAL_MONTHS})",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    return p


def config_from(args: argparse.Namespace, p: argparse.ArgumentParser) -> GeneratorConfig:
    profile = PROFILES[args.profile or ("national" if args.regions else "tanjungbalai")]
    overrides: dict[str, float] = {}
    for text in args.dirt:
        try:
            kind, rate = parse_override(text)
        except ValueError as error:
            p.error(str(error))
        overrides[kind] = rate
    if args.dirt_scale < 0:
        p.error("--dirt-scale must not be negative")
    if args.seed < 0:
        p.error("--seed must not be negative")
    return GeneratorConfig(
        profile=profile,
        out=args.out,
        seed=args.seed,
        households=args.households if args.households is not None else profile.households,
        regions=args.regions,
        file_format=args.file_format,
        csv=CsvOptions(delimiter=args.delimiter, bom=args.bom, crlf=args.crlf),
        dirt_rates=overrides,
        dirt_scale=args.dirt_scale,
        chunk_size=args.chunk_size,
        progress=not args.no_progress,
        deliveries=args.deliveries,
        interval_months=args.interval_months,
    )


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    config = config_from(args, p)
    started = time.perf_counter()
    try:
        manifest = generate(config)
    except (RegionsError, TooManyRowsError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    facts = manifest["facts"]
    print(
        f"wrote {facts['households']:,} households, {facts['individuals']:,} individuals, "
        f"{facts['pkh_rows']:,} PKH rows and {facts['sls']:,} FKP rows to {config.out}"
        f"{f' (the last of {config.deliveries} deliveries)' if config.deliveries > 1 else ''} "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
