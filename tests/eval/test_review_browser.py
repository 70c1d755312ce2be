"""The review page in a real headless Chromium (Debian's `chromium`, driven by Selenium through
Debian's `chromium-driver`, so nothing is downloaded at test time): it loads without a console
error, the label, detector and gold filters hide what they should, and a screenshot is taken.

Chromium is installed here when it is missing (apt-get, as root); where that fails the tests
fail, they are never skipped: a page no browser opened is not tested."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from redact.cli import app
from tests.eval.review_fixtures import SECRET, write_review_inputs

PACKAGES = ("chromium", "chromium-driver")
TRANSPARENT = "rgba(0, 0, 0, 0)"


def _install_chromium() -> tuple[str, str]:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", *PACKAGES]):
            try:
                subprocess.run(command, env=env, capture_output=True, timeout=900, check=False)
            except (OSError, subprocess.TimeoutExpired) as err:
                pytest.fail(f"{' '.join(command)}: {err}")
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (browser and driver):
        pytest.fail("the review page tests need Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver  # the dev extra

    binary, driver_path = _install_chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    # --no-sandbox: the tests run as root (CI too), where Chromium's sandbox refuses to start.
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    data, spans, gold = write_review_inputs(folder)
    out = folder / "review.html"
    result = CliRunner().invoke(app, ["review", str(data), "--spans", str(spans), "--gold", str(gold), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def console_errors(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def choose(driver, name: str, value: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", f"f-{name}")).select_by_value(value)


def highlighted(element) -> bool:
    return element.value_of_css_property("background-color") != TRANSPARENT


def visible_records(driver) -> set[str]:
    return {r.get_attribute("data-id") for r in driver.find_elements("css selector", ".record") if r.is_displayed()}


def test_console_errors_are_seen(browser, tmp_path):
    """The check below means something: an error on a page does reach the log."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><title>x</title><script>console.error('deliberate')</script>")
    browser.get(bad.as_uri())
    assert any("deliberate" in message for message in console_errors(browser))


def test_page_loads_clean_and_holds_no_value(browser, page, tmp_path):
    browser.get(page.as_uri())
    assert browser.title == "starpii review"
    assert console_errors(browser) == []
    assert visible_records(browser) == {"cfg", "authors", "plain"}
    marks = browser.find_elements("css selector", ".original mark.span")
    assert len(marks) == 4 and all(highlighted(m) for m in marks)
    assert "detector secret-assignment" in marks[0].get_attribute("title")
    assert SECRET not in browser.page_source and SECRET[1:-1] not in browser.page_source
    shot = tmp_path / "review.png"
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 5000


def test_label_filter_hides_other_labels(browser, page):
    browser.get(page.as_uri())
    choose(browser, "label", "EMAIL")
    for mark in browser.find_elements("css selector", ".record [data-label]"):
        assert highlighted(mark) == (mark.get_attribute("data-label") == "EMAIL")
    assert visible_records(browser) == {"cfg"}
    assert browser.find_element("id", "shown").text == "1"
    choose(browser, "label", "")
    assert visible_records(browser) == {"cfg", "authors", "plain"}
    assert console_errors(browser) == []


def test_detector_filter(browser, page):
    browser.get(page.as_uri())
    choose(browser, "detector", "model")
    on = [m for m in browser.find_elements("css selector", "mark.span") if highlighted(m)]
    assert {m.get_attribute("data-detector") for m in on} == {"model"} and len(on) == 2  # original + redacted
    assert visible_records(browser) == {"authors"}


def test_gold_filter_shows_misses(browser, page):
    browser.get(page.as_uri())
    choose(browser, "status", "miss")
    misses = browser.find_elements("css selector", ".original .miss")
    assert misses and all(m.value_of_css_property("text-decoration-line") == "underline" for m in misses)
    assert not any(highlighted(m) for m in browser.find_elements("css selector", "mark.span"))
    assert visible_records(browser) == {"authors"}
    assert console_errors(browser) == []
