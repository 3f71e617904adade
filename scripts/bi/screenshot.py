"""A screenshot of the dashboard in headless Chromium (the Debian packages chromium and
chromium-driver), logged in as the admin with a session cookie that Superset makes itself
(its machine-auth provider, as its own reports do).

`dashboard_screenshot` runs in the project's .venv and starts `main` in .venv-bi, which has
Superset and selenium."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from scripts.contract import PROJECT_DIR
from scripts.system_packages import CHROMEDRIVER, require_packages

from .server import Server, superset_environment
from .settings import BI_BIN

WINDOW_SIZE = "1600,2100"
RENDER_TIMEOUT_S = 180
# After the last spinner is gone, the time the charts' animations take to settle.
SETTLE_S = 4.0
POLL_S = 0.5
# The CSS classes of Superset's dashboard: one chart container per chart, a spinner while
# a chart loads.
CHART_CLASS = "chart-container"
LOADING_CLASS = "loading"
SCREENSHOT_TIMEOUT_S = 400


def dashboard_screenshot(server: Server, dashboard_url: str, out: Path) -> Path:
    """Write a PNG screenshot of the dashboard at `dashboard_url` to `out`; returns `out`."""
    require_packages(("chromium", "chromium-driver"))
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [str(BI_BIN / "python"), "-m", "scripts.bi.screenshot", dashboard_url, str(out.resolve())],
        cwd=PROJECT_DIR,
        env=superset_environment(server.home),
        capture_output=True,
        text=True,
        timeout=SCREENSHOT_TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"screenshot failed:\n{done.stderr[-4000:]}")
    return out


def admin_cookies() -> dict[str, str]:
    """The session cookie of the admin (BDT_BI_ADMIN_USER), made by Superset's machine auth."""
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from superset.extensions import security_manager
        from superset.utils.machine_auth import MachineAuthProvider

        user = security_manager.find_user(username=os.environ["BDT_BI_ADMIN_USER"])
        return MachineAuthProvider.get_auth_cookies(user)


def main(argv: list[str]) -> int:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    dashboard_url, out = argv
    cookies = admin_cookies()
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={WINDOW_SIZE}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        driver.get(dashboard_url.split("/superset/")[0] + "/health")
        for name, value in cookies.items():
            driver.add_cookie({"name": name, "value": value})
        driver.get(dashboard_url)
        deadline = time.monotonic() + RENDER_TIMEOUT_S
        while time.monotonic() < deadline:
            charts = driver.find_elements(By.CLASS_NAME, CHART_CLASS)
            if charts and not driver.find_elements(By.CLASS_NAME, LOADING_CLASS):
                break
            time.sleep(POLL_S)
        else:
            raise SystemExit(f"the dashboard did not finish loading in {RENDER_TIMEOUT_S} s")
        time.sleep(SETTLE_S)
        driver.save_screenshot(out)
    finally:
        driver.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
