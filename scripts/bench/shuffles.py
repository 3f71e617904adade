"""The shuffles of the largest models on Spark: `python -m scripts.bench.shuffles --scale 1m`.

After a Spark benchmark of the scale (its metastore, tables and compiled SQL in bench/<scale>/),
a Spark session with the profile's settings (profiles.yml, target spark) explains the compiled
SQL of each model whose table is among the largest, and lists the exchanges of the physical plan:
hash repartitions (a shuffle, with its keys), broadcasts and single-partition gathers. Spark's
adaptive execution may still turn a planned sort-merge join into a broadcast at run time: these
are the plans before it. Figures in docs/benchmarks/<scale>-spark-shuffles.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

import jinja2
import yaml

from scripts.bench.measure import folder_bytes
from scripts.bench.runs import SCALES
from scripts.bench.spark import spark_bench_environment
from scripts.contract import PROJECT_DIR

LARGEST = 15
EXCHANGE = re.compile(
    r"(BroadcastExchange|Exchange (?:hashpartitioning|rangepartitioning|SinglePartition)"
    r"(?:\(([^)]*)\))?)"
)
ATTRIBUTE_ID = re.compile(r"#\d+L?")


def profile_settings() -> dict[str, str]:
    """The Spark session's settings of the profile (target spark), rendered from this process's
    environment as dbt renders them."""
    profile = yaml.safe_load((PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8"))
    outputs = next(iter(profile.values()))["outputs"]
    environment = jinja2.Environment(undefined=jinja2.StrictUndefined)
    environment.globals["env_var"] = lambda name, default=None: os.environ.get(name, default)
    return {
        name: environment.from_string(str(value)).render()
        for name, value in outputs["spark"]["server_side_parameters"].items()
    }


def largest_tables(tables: Path, count: int) -> dict[str, int]:
    """The `count` largest tables under Spark's warehouse folder: name -> bytes."""
    sizes = {
        table.name: folder_bytes(table)
        for database in tables.iterdir()
        if database.is_dir()
        for table in database.iterdir()
        if table.is_dir()
    }
    return dict(sorted(sizes.items(), key=lambda item: -item[1])[:count])


def exchanges(plan: str) -> list[str]:
    """The exchanges of a physical plan, attribute ids removed."""
    return [ATTRIBUTE_ID.sub("", match.group(1)) for match in EXCHANGE.finditer(plan)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench.shuffles", description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES), default="1m")
    parser.add_argument("--largest", type=int, default=LARGEST)
    parser.add_argument("--docs", type=Path, default=PROJECT_DIR / "docs")
    arguments = parser.parse_args(argv)
    work = (PROJECT_DIR / "bench" / arguments.scale).resolve()
    os.environ.update(spark_bench_environment(work))
    compiled = work / "target_spark" / "compiled"
    settings = profile_settings()
    tables = largest_tables(Path(settings["spark.sql.warehouse.dir"]), arguments.largest)
    from pyspark.sql import SparkSession  # optional group `spark`: imported only here

    builder = SparkSession.builder.enableHiveSupport()
    for name, value in settings.items():
        builder = builder.config(name, value)
    session = builder.getOrCreate()
    models = {}
    for table, size in tables.items():
        sources = [
            path
            for path in compiled.rglob(f"models/**/{table}.sql")
            if not any(part.endswith(".yml") for part in path.parts)  # tests have such folders
        ]
        if not sources:
            continue
        sql = sources[0].read_text(encoding="utf-8")
        plan = session.sql(f"explain {sql}").collect()[0][0]
        models[table] = {"bytes": size, "exchanges": exchanges(plan)}
        print(table, size, models[table]["exchanges"], flush=True)
    session.stop()
    out = arguments.docs / "benchmarks" / f"{arguments.scale}-spark-shuffles.json"
    out.write_text(json.dumps(models, indent=2) + "\n", encoding="utf-8")
    print(f"figures in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
