"""The calculator in a real browser: Chromium, driven by Playwright, fills in the form.

The app is served by Werkzeug's development server on a free loopback port,
mounted under ``/calc`` so that the page's links, form action and style
sheet are checked to carry the prefix. The browser is Debian's Chromium
(``apt-get install chromium``), never a browser downloaded by Playwright.
Screenshots are saved in the test's temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from apps.browser import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, serve, sync_api

PREFIX = "/calc"


@pytest.fixture
def base_url() -> Iterator[str]:
    """The calculator under /calc on a free port, served from a thread while the test runs."""
    from examples.calculator import create_app

    with serve(create_app({"SECRET_KEY": "a key for tests only"}), PREFIX) as url:
        yield url


@pytest.fixture
def page(tmp_path: Path) -> Iterator[sync_api.Page]:
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 900, "height": 800},
        )
        try:
            context.set_default_timeout(STEP_TIMEOUT_MS)
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def submit(page: sync_api.Page, input1: str, operator: str, input2: str) -> int:
    """Type into the three fields, press the button, return the answer's status."""
    page.fill("#input1", input1)
    page.fill("#operator", operator)
    page.fill("#input2", input2)
    with page.expect_navigation() as navigation:
        page.click("#submit")
    response = navigation.value
    assert response is not None
    return response.status


def test_form_in_a_browser_shows_result_then_error(
    page: sync_api.Page, base_url: str, tmp_path: Path
) -> None:
    first = page.goto(base_url + "/")
    assert first is not None and first.status == 200
    assert page.title() == "계산기 · Calculator"
    # The style sheet was found under the prefix and applied.
    background = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert background == "rgb(240, 244, 248)"

    assert submit(page, "12", "*", "5") == 200
    assert page.url == base_url + "/post"
    assert page.inner_text("#result output") == "12 * 5 = 60"
    page.screenshot(path=str(tmp_path / "calculator-result.png"), full_page=True)

    assert submit(page, "12", "/", "abc") == 400
    error = page.inner_text("#error")
    assert "'abc'은(는) 숫자가 아닙니다." in error
    assert "is not a number" in error
    # What was typed is still there, and the wrong field is marked.
    assert page.input_value("#input1") == "12"
    assert page.input_value("#operator") == "/"
    assert page.input_value("#input2") == "abc"
    assert page.get_attribute("#input2", "aria-invalid") == "true"
    assert page.locator("#result").count() == 0
    # The earlier calculation is remembered in the session.
    assert page.inner_text("#recent") == "12 * 5 = 60"
    page.screenshot(path=str(tmp_path / "calculator-error.png"), full_page=True)

    assert (tmp_path / "calculator-result.png").stat().st_size > 0
    assert (tmp_path / "calculator-error.png").stat().st_size > 0


def test_recent_calculation_link_opens_the_json_answer(page: sync_api.Page, base_url: str) -> None:
    page.goto(base_url + "/")
    assert submit(page, "7", "/", "2") == 200
    with page.expect_navigation() as navigation:
        page.click("#recent a")
    response = navigation.value
    assert response is not None and response.status == 200
    assert page.url == base_url + "/7/div/2"
    assert response.json() == {"num1": 7, "op": "/", "num2": 2, "result": 3.5}
