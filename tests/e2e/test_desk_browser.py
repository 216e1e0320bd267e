"""The news desk in a real browser: Airflow's api-server with the plugin, Chromium from Debian's packages.

Starts ``airflow api-server`` on a free loopback port over a warehouse the real pipeline loaded
from the seeds, logs in through Airflow's login page, opens the desk, and checks the seeds' story
with its drawn chart and a highlighted quote. Screenshots go to ``test-artifacts/`` (and, with
``DESK_SCREENSHOTS=docs``, to ``docs/`` for the README). ``make test`` installs Chromium and its
driver first (``make browser``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import BIN, PROJECT, SEEDS

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = PROJECT / "test-artifacts"
PASSWORD = secrets.token_urlsafe(12)
START_SECONDS = 180

pytestmark = pytest.mark.skipif(
    not (CHROMIUM and CHROMEDRIVER) and not os.environ.get("DESK_BROWSER_REQUIRED"),
    reason="Chromium and chromedriver are not installed (make browser)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"api-server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return  # it answers (401 without a login)
        except OSError:
            time.sleep(1)
    raise AssertionError(f"api-server not up after {START_SECONDS} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def api_server(tmp_path_factory, airflow_home):
    from pipeline.config import load_settings
    from pipeline.run import run_pipeline

    root = tmp_path_factory.mktemp("desk-browser")
    shutil.copytree(SEEDS, root / "seeds")
    run_pipeline(load_settings().with_dirs(root / "seeds", root / "warehouse"), "test__desk_browser")
    passwords = root / "passwords.json"
    passwords.write_text(json.dumps({"admin": PASSWORD}))
    port = _free_port()
    env = {
        **os.environ,
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(passwords),
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
        "AIRFLOW__API__SECRET_KEY": secrets.token_urlsafe(32),
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "PIPELINE_SEEDS_DIR": str(root / "seeds"),
        "PIPELINE_WAREHOUSE_DIR": str(root / "warehouse"),
    }
    log = root / "api-server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [BIN / "airflow", "api-server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        _wait_for(f"http://127.0.0.1:{port}/api/v2/monitor/health", process, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1400"]:
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / name))
    if os.environ.get("DESK_SCREENSHOTS") == "docs":
        (PROJECT / "docs").mkdir(exist_ok=True)
        shutil.copy(ARTIFACTS / name, PROJECT / "docs" / name)


def _log_in(browser, api_server: str) -> None:
    """Log in through Airflow's login page (once per browser session)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    if any(c["name"] == "_token" for c in browser.get_cookies()):
        return
    wait = WebDriverWait(browser, 60)
    browser.get(api_server + "/auth/login")
    wait.until(ready.presence_of_element_located((By.NAME, "username"))).send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(lambda d: any(c["name"] == "_token" for c in d.get_cookies()))


def test_unauthenticated_request_to_the_desk_is_refused(api_server) -> None:
    for path in ["/desk/", "/desk/api/coverage", "/desk/runs"]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(api_server + path, timeout=10)
        assert refused.value.code in {401, 403}
        assert b"Kursk" not in refused.value.read()


def test_analyst_logs_in_and_reads_the_seed_story(api_server, browser) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60)
    _log_in(browser, api_server)
    browser.get(api_server + "/desk/")
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#coverage[data-drawn=true] canvas")))
    assert "Kursk" in browser.page_source
    _screenshot(browser, "desk-stories.png")

    browser.find_element(By.CSS_SELECTOR, "td a").click()
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#timeline[data-drawn=true] canvas")))
    quotes = browser.find_elements(By.CSS_SELECTOR, "mark.quote")
    assert quotes and any(q.text.strip() for q in quotes)
    _screenshot(browser, "desk-story.png")


def test_the_desk_is_reached_from_airflow_s_navigation(api_server, browser) -> None:
    """The plugin's navigation entry (Browse → News desk) opens the desk from Airflow's own UI."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ready
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60)
    _log_in(browser, api_server)
    browser.get(api_server + "/")
    wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "button[aria-label='Browse']"))).click()
    entry = wait.until(ready.element_to_be_clickable((By.CSS_SELECTOR, "[role=menuitem][aria-label='News desk']")))
    _screenshot(browser, "airflow-browse-menu.png")
    windows = set(browser.window_handles)
    entry.click()
    wait.until(lambda d: "/desk" in d.current_url or len(d.window_handles) > len(windows))
    for handle in set(browser.window_handles) - windows:  # the entry opens the desk in a new tab
        browser.switch_to.window(handle)
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "#coverage[data-drawn=true] canvas")))
    assert "/desk/" in browser.current_url and "Kursk" in browser.page_source
