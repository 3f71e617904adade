"""`python -m scripts.bi start|stop|screenshot`: the local dashboard (make bi, bi-stop,
bi-screenshot)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .assets import imported_dashboard
from .credentials import ADMIN_PASSWORD_FILE
from .screenshot import dashboard_screenshot
from .server import started, stopped
from .settings import DEFAULT_WAREHOUSE, SECRETS_DIR, bi_home, port

SCREENSHOT = Path("docs/img/superset-dashboard.png")
ADMIN_PASSWORD_FILE_SHOWN = (SECRETS_DIR / ADMIN_PASSWORD_FILE).relative_to(SECRETS_DIR.parent)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m scripts.bi", description=__doc__)
    p.add_argument("action", choices=("start", "stop", "screenshot"))
    p.add_argument("--port", type=int, default=port(), help="default: BDT_BI_PORT or 8088")
    p.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help="the BI database the dashboard reads (default: warehouse/bdt.duckdb)",
    )
    p.add_argument(
        "--out", type=Path, default=SCREENSHOT, help=f"screenshot: the PNG (default: {SCREENSHOT})"
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    home = bi_home()
    if args.action == "stop":
        if not stopped(home):
            print("no Superset running for this project", file=sys.stderr)
        return 0
    warehouse = args.warehouse.resolve()
    if not warehouse.is_file():
        print(f"no BI database at {warehouse}: make run first", file=sys.stderr)
        return 1
    try:
        server = started(home, args.port)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    keep_running = args.action == "start"
    try:
        dashboard_url = imported_dashboard(server, warehouse)
        if args.action == "screenshot":
            print(f"wrote {dashboard_screenshot(server, dashboard_url, args.out)}")
            return 0
    except BaseException:
        keep_running = False
        raise
    finally:
        if not keep_running:
            stopped(home)
    print(
        f"Superset serves the dashboard at {dashboard_url}\n"
        f"  log in as {server.admin.user!r}: the password is BDT_BI_ADMIN_PASSWORD, else in "
        f"{ADMIN_PASSWORD_FILE_SHOWN}\n  stop it with `make bi-stop`"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
