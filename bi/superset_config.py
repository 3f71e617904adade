"""Superset configuration of the BDT dashboard (read by Superset through SUPERSET_CONFIG_PATH).

Everything machine-specific comes from the environment set by `python -m scripts.bi`
(scripts/bi/server.py): the metadata folder BDT_BI_HOME (git-ignored .bi/ by default) and the
secret key SUPERSET_SECRET_KEY (BDT_BI_SECRET_KEY, else a random local one in .secrets/).
There is no default secret: Superset does not start without one.
"""

import os
from pathlib import Path

BI_HOME = Path(os.environ["BDT_BI_HOME"])

SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]
# Superset's own metadata (users, charts, dashboards): a SQLite file in the git-ignored folder.
SQLALCHEMY_DATABASE_URI = f"sqlite:///{BI_HOME / 'superset.db'}"
DATA_DIR = str(BI_HOME)

# Only the databases registered by the project (the BI tier, read-only): no SQLite or other
# local-file databases added through the UI, no file upload into any database.
PREVENT_UNSAFE_DB_CONNECTIONS = True
CSV_EXTENSIONS: set[str] = set()
EXCEL_EXTENSIONS: set[str] = set()
COLUMNAR_EXTENSIONS: set[str] = set()
ALLOWED_EXTENSIONS: set[str] = set()
# No anonymous access: every page and API call needs a login.
PUBLIC_ROLE_LIKE = None

# A local server for one analyst: no Jinja templating in SQL, no background workers.
FEATURE_FLAGS = {
    "ENABLE_TEMPLATE_PROCESSING": False,
    "DASHBOARD_RBAC": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
}
# The dashboard is served on 127.0.0.1 only, over plain HTTP.
TALISMAN_ENABLED = False
SESSION_COOKIE_SECURE = False
RATELIMIT_STORAGE_URI = "memory://"
SQLLAB_TIMEOUT = 60
SUPERSET_WEBSERVER_TIMEOUT = 120

# Every connection Superset opens, whatever a user stores in a database's settings: to a file
# named bdt.duckdb only (the BI database; not pii.duckdb, raw.duckdb or an in-memory DuckDB that
# could read files), read-only, with DuckDB's access to any other file off and locked.
BI_DATABASE_FILE = "bdt.duckdb"


def DB_CONNECTION_MUTATOR(uri, params, username, security_manager, source):  # noqa: N802
    if uri.drivername != "duckdb" or Path(uri.database or "").name != BI_DATABASE_FILE:
        raise ValueError(f"this Superset reads the BI database ({BI_DATABASE_FILE}) only")
    connect_args = params.setdefault("connect_args", {})
    connect_args["read_only"] = True
    config = connect_args.setdefault("config", {})
    config["enable_external_access"] = False
    config["lock_configuration"] = True
    return uri, params
