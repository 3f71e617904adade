"""The benchmark: `python -m scripts.bench --scale tanjungbalai|1m|national`.

In one process and one run it measures every stage of the pipeline on the chosen scale
(generate, load, dbt build of the models, dbt tests, publish), the limit (DuckDB reading every
raw file once and writing the marts' size once, on the same files and settings) and, at
tanjungbalai and 1m, the peer (the same models on a throwaway PostgreSQL server). It writes the
figures as JSON (docs/benchmarks/<scale>.json) and appends a section to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from scripts.bench.deliveries import delivery_results
from scripts.bench.report import (
    appended_markdown,
    deliveries_markdown,
    machine_description,
    portable,
    spark_markdown,
)
from scripts.bench.runs import SCALES, benchmark_results
from scripts.bench.spark import DUCKDB_COUNTERPART, spark_results
from scripts.contract import PROJECT_DIR
from scripts.load.spark import DEFAULT_LAYOUT, LAYOUTS


def parsed_arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="tanjungbalai")
    parser.add_argument(
        "--engine", choices=["duckdb", "spark"], default="duckdb",
        help="spark: the stages of a build on local Spark (scripts/bench/spark.py), figures in "
        "docs/benchmarks/<scale>-spark.json beside DuckDB's",
    )  # fmt: skip
    parser.add_argument(
        "--layout", choices=sorted(LAYOUTS), default=DEFAULT_LAYOUT,
        help="with --engine spark: partitioning of the raw layer's Parquet (scripts/load/spark.py)",
    )  # fmt: skip
    parser.add_argument(
        "--work",
        type=Path,
        help="working folder for the generated data and warehouses (default bench/<scale>)",
    )
    parser.add_argument(
        "--peer", choices=["auto", "yes", "no"], default="auto",
        help="run the PostgreSQL peer (auto: at tanjungbalai and 1m)",
    )  # fmt: skip
    parser.add_argument(
        "--reuse-raw", action="store_true",
        help="skip the generation when the working folder holds raw files of the same size",
    )  # fmt: skip
    parser.add_argument(
        "--deliveries", type=int, default=1,
        help="with 2 or more: the cost of each new delivery (scripts/bench/deliveries.py) "
        "instead of the stages of one build",
    )  # fmt: skip
    parser.add_argument(
        "--interval-months", type=int, default=3,
        help="months between two deliveries (with --deliveries; default 3, the DTSEN's cycle)",
    )  # fmt: skip
    parser.add_argument("--docs", type=Path, default=PROJECT_DIR / "docs")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    arguments = parsed_arguments(argv)
    scale = SCALES[arguments.scale]
    work = (arguments.work or PROJECT_DIR / "bench" / scale.name).resolve()
    if arguments.engine == "spark":
        if arguments.deliveries > 1:
            sys.exit("error: --deliveries is measured on DuckDB only")
        results = spark_results(scale, work, arguments.docs, arguments.layout, arguments.reuse_raw)
        name = f"{scale.name}-spark"

        def section(figures: dict) -> str:
            return spark_markdown(figures, DUCKDB_COUNTERPART)

    elif arguments.deliveries > 1:
        work = work.with_name(f"{work.name}_deliveries")
        results = delivery_results(
            scale, work, arguments.deliveries, arguments.interval_months, arguments.reuse_raw
        )
        name, section = f"{scale.name}_deliveries", deliveries_markdown
    else:
        peer = arguments.peer == "yes" or (arguments.peer == "auto" and scale.with_peer)
        results = benchmark_results(scale, work, with_peer=peer, reuse_raw=arguments.reuse_raw)
        name, section = scale.name, appended_markdown
    results = portable({**results, "machine": machine_description()})
    out = arguments.docs / "benchmarks" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    markdown = arguments.docs / "benchmarks.md"
    with markdown.open("a", encoding="utf-8") as handle:
        handle.write(section(results))
    print(f"figures in {out}, table appended to {markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
