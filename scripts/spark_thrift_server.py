"""A throwaway Spark Thrift Server on loopback, for the tests of the `spark_thrift` target and to
try that target without a cluster: pyspark's own HiveThriftServer2 (its jars are in the pyspark
wheel), one local core, its own warehouse folder and Derby catalogue, stopped at the end.

    with throwaway_thrift_server(tables_dir) as server:
        env = {**os.environ, **server.environment()}   # BDT_SPARK_HOST, BDT_SPARK_PORT
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from scripts.postgres_server import free_port

THRIFT_SERVER_CLASS = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
LOOPBACK = "127.0.0.1"
# A JVM, a Spark context and the Derby catalogue: about 50 s on two busy cores.
START_TIMEOUT_SECONDS = 300
STOP_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class ThriftServer:
    port: int
    log: Path

    def environment(self) -> dict[str, str]:
        """The variables of profiles.yml's target spark_thrift for this server."""
        return {"BDT_SPARK_HOST": LOOPBACK, "BDT_SPARK_PORT": str(self.port)}


def spark_home() -> Path:
    """pyspark's folder, which holds bin/spark-submit and the jars."""
    import pyspark

    return Path(pyspark.__file__).parent


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex((LOOPBACK, port)) == 0


@contextmanager
def throwaway_thrift_server(tables_dir: Path) -> Iterator[ThriftServer]:
    """A Thrift Server whose Spark warehouse folder is `tables_dir` (created; the raw layer is
    read from `tables_dir/../raw`, macro register_raw_tables), its catalogue beside it."""
    folder = tables_dir.parent
    tables_dir.mkdir(parents=True, exist_ok=True)
    server = ThriftServer(port=free_port(), log=folder / "thrift_server.log")
    command = [
        str(spark_home() / "bin" / "spark-submit"), "--class", THRIFT_SERVER_CLASS,
        "--master", "local[1]", "--driver-memory", "2g",
        "--conf", f"spark.sql.warehouse.dir={tables_dir}",
        "--conf", "spark.hadoop.javax.jdo.option.ConnectionURL="
        f"jdbc:derby:;databaseName={folder / 'thrift_metastore_db'};create=true",
        "--conf", f"spark.driver.extraJavaOptions=-Dderby.system.home={folder}",
        "--conf", "spark.ui.enabled=false",
        "--hiveconf", f"hive.server2.thrift.port={server.port}",
        "--hiveconf", f"hive.server2.thrift.bind.host={LOOPBACK}",
        "spark-internal",
    ]  # fmt: skip
    with server.log.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=folder,
            env={**os.environ, "SPARK_HOME": str(spark_home())},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _listening(server.port):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = server.log.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the Spark Thrift Server did not start ({server.log}):\n{tail}")
            time.sleep(2)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
