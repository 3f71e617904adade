"""The machine a benchmark ran on, and the Markdown section appended to docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version

from scripts.contract import PROJECT_DIR

# The Spark target's packages (`make setup-spark`), recorded when installed.
SPARK_PACKAGES = ("pyspark", "dbt-spark")


def portable(value: object) -> object:
    """`value` (the results, recursively) with this machine's paths written relative to the
    project folder (bench/1m/logs/..., ../shared/reference/...), so that the committed figures
    hold no absolute path."""
    if isinstance(value, dict):
        return {key: portable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [portable(item) for item in value]
    if isinstance(value, str):
        for folder, relative in ((PROJECT_DIR, ""), (PROJECT_DIR.parent, "../")):
            value = value.replace(f"{folder}/", relative)
    return value


def machine_description() -> dict[str, object]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if "model name" in line)
    except (OSError, StopIteration):
        pass
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": version("duckdb"),
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "dbt_postgres": version("dbt-postgres"),
        **{package.replace("-", "_"): installed_version(package) for package in SPARK_PACKAGES},
    }


def installed_version(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def stage_row(stage: dict) -> str:
    failed = f" (**failed**, exit {stage['exit_code']})" if stage["exit_code"] else ""
    return (
        f"| {stage['stage']}{failed} | {stage['wall_s']:,.1f} | {stage['cpu_s']:,.1f} |"
        f" {stage['peak_rss_mib']:,.0f} | {stage.get('peak_disk_gib', 0):,.1f} |"
    )


def _limit_sentence(limit: dict | None) -> str:
    if limit is None:
        return "Limit: not measured (the models did not complete)."
    return (
        f"Limit: reading every raw file once {limit['read_s']} s ({limit['rows_read']:,} rows),"
        f" writing the marts' size once {limit['write_s']} s"
        f" ({limit['bytes_written'] / 2**20:,.0f} MiB): {limit['limit_s']} s."
    )


def _machine_sentence(results: dict) -> str:
    machine = results["machine"]
    return (
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB;"
        f" {machine['os']}; Python {machine['python']}, DuckDB {machine['duckdb']},"
        f" dbt-core {machine['dbt_core']}, dbt-duckdb {machine['dbt_duckdb']},"
        f" dbt-postgres {machine['dbt_postgres']}."
        f" Generator: `{' '.join(results['generate_args'])}`"
    )


def _target_rows(results: dict) -> list[str]:
    return [
        "| target | value | wanted | met |",
        "|---|---:|---|---|",
        *(
            f"| {name} | {target['value']} | {target['target']} |"
            f" {'yes' if target['met'] else ('n/a' if target['met'] is None else '**no**')} |"
            for name, target in results["targets"].items()
        ),
    ]


def deliveries_markdown(results: dict) -> str:
    """The section of a delivery benchmark (scripts/bench/deliveries.py)."""
    return "\n".join(
        [
            "",
            f"## {results['scale']}, {results['deliveries']} deliveries"
            f" {results['interval_months']} months apart — {results['started_utc']}"
            f" (commit {results['commit']})",
            "",
            _machine_sentence(results) + f" `--deliveries {results['deliveries']}"
            f" --interval-months {results['interval_months']}`"
            + (" (the series of an earlier run reused)" if results.get("raw_reused") else "")
            + ". Each delivery loaded, then `python -m scripts.build` (copy of the published"
            " build, dbt build of the new delivery with every test, publication); then the"
            " last delivery loaded and built alone in an empty warehouse (`alone_`).",
            "",
            "| stage | wall s | CPU s | peak RSS MiB | peak disk GiB |",
            "|---|---:|---:|---:|---:|",
            *(stage_row(stage) for stage in results["stages"]),
            "",
            *_target_rows(results),
            "",
        ]
    )


def appended_markdown(results: dict) -> str:
    limit = results["limit"]
    lines = [
        "",
        f"## {results['scale']} — {results['started_utc']} (commit {results['commit']})",
        "",
        _machine_sentence(results)
        + (
            " (raw files of an earlier run reused: generation not measured here)."
            if results.get("raw_reused")
            else "."
        ),
        "",
        "| stage | wall s | CPU s | peak RSS MiB | peak disk GiB |",
        "|---|---:|---:|---:|---:|",
        *(stage_row(stage) for stage in results["stages"]),
        *([stage_row(limit)] if limit else []),
    ]
    peer = results.get("peer_postgres")
    if peer:
        lines += [stage_row(stage) for stage in peer["stages"]]
    sizes = results.get("published_database_bytes") or {}
    lines += [
        "",
        _limit_sentence(limit)
        + (
            f" PostgreSQL {peer['server_version']} (throwaway server, shared_buffers"
            f" {peer['settings']['shared_buffers']}, work_mem {peer['settings']['work_mem']})."
            if peer
            else ""
        )
        + (
            " A rebuild writes new databases beside the published ones until it publishes them:"
            f" {sum(sizes.values()) / 2**30:,.2f} GiB more disk ("
            + ", ".join(f"{name} {size / 2**30:,.2f} GiB" for name, size in sorted(sizes.items()))
            + ")."
            if sizes
            else ""
        ),
        "",
        *_target_rows(results),
        "",
    ]
    return "\n".join(lines)


def _spark_row(stage: dict, duckdb_stages: dict[str, dict], counterparts: tuple[str, ...]) -> str:
    """A Spark stage's row, with the wall time of the DuckDB stages it compares with."""
    duckdb_wall = sum(
        duckdb_stages[name]["wall_s"] for name in counterparts if name in duckdb_stages
    )
    compared = (
        f"{duckdb_wall:,.1f} ({'+'.join(counterparts)})"
        if counterparts and all(name in duckdb_stages for name in counterparts)
        else "-"
    )
    load = stage.get("mean_load")
    return f"{stage_row(stage)} {'-' if load is None else f'{load:.1f}'} | {compared} |"


def spark_markdown(results: dict, counterparts: dict[str, tuple[str, ...]]) -> str:
    """The section of a Spark benchmark (scripts/bench/spark.py), its stages beside the
    DuckDB stages of `counterparts` from the latest DuckDB run of the scale."""
    duckdb = results.get("duckdb") or {}
    duckdb_stages = {stage["stage"]: stage for stage in duckdb.get("stages", [])}
    settings = results["spark_settings"]
    machine = results["machine"]
    raw_bytes = results.get("raw_layer_bytes") or {}
    lines = [
        "",
        f"## {results['scale']} on Spark ({results['layout']} layout) —"
        f" {results['started_utc']} (commit {results['commit']})",
        "",
        _machine_sentence(results)
        + f"; pyspark {machine.get('pyspark')}, dbt-spark {machine.get('dbt_spark')}"
        + (" (raw files of an earlier run reused)." if results.get("raw_reused") else ".")
        + f" Spark {settings['master']}, driver {settings['driver_memory']},"
        f" {settings['shuffle_partitions']} shuffle partitions. Load average before the run:"
        f" {', '.join(str(value) for value in results['load_average_before'])} (1, 5, 15 min);"
        " `load` is the mean one-minute load average during the stage (2 cores: above 2, other"
        " jobs were competing)."
        + (
            f" DuckDB: the run of {duckdb['started_utc']} (commit {duckdb['commit']})."
            if duckdb
            else " No DuckDB run of this scale to compare with."
        ),
        "",
        "| stage | wall s | CPU s | peak RSS MiB | peak disk GiB | load | DuckDB wall s |",
        "|---|---:|---:|---:|---:|---:|---|",
        *(
            _spark_row(stage, duckdb_stages, counterparts.get(stage["stage"], ()))
            for stage in results["stages"]
        ),
        "",
        (
            f"Raw layer as Parquet: {sum(raw_bytes.values()) / 2**20:,.1f} MiB ("
            + ", ".join(
                f"{table} {size / 2**20:,.1f} MiB"
                for table, size in sorted(raw_bytes.items(), key=lambda item: -item[1])[:4]
            )
            + ", ...)."
            if raw_bytes
            else "Raw layer not exported."
        ),
        "",
        *_target_rows(results),
        "",
    ]
    return "\n".join(lines)
