"""The memo page in a real browser: Debian's Chromium, driven by Playwright.

The memo app runs on SQLite in a temporary folder, served by Werkzeug's
development server on a free loopback port and mounted under ``/memo``, so
every URL the page uses (scripts, API calls, the ``Link`` header, images) is
checked to carry the prefix. One browser serves the whole module; each test
has its own browser context (its own cookies), and its own user.

The page runs under its real Content-Security-Policy, so a script the page
did not ship could not run, and Playwright's string-evaluating helpers
(``wait_for_function``) cannot either: the tests wait with ``expect``.
Every test fails on a console error (a CSP violation is one), an uncaught
exception, a ``window.alert``, or a request to another host.

Screenshots of the main states go to ``tests/artifacts/memo-page/`` (not
kept in git); ``examples/memo/screenshots/`` holds copies of a few, for the
README.
"""

from __future__ import annotations

import re
import struct
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from apps.browser import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, serve, sync_api

from examples.memo import create_app, migrate
from examples.memo.db import Database, get_database

from .conftest import PASSWORD

expect = sync_api.expect
PREFIX = "/memo"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "memo-page"
XSS_TITLE = "<img src=x onerror=alert(1)>"
#: Memos of the scenario besides those it writes in the page: title, content, colour.
OTHER_MEMOS = [
    ("읽을 책", "채식주의자 — 한강\n소년이 온다\n작별하지 않는다", "pink"),
    (
        "Ideas",
        "A memo app on a WSGI framework written from scratch, to show how Flask works.",
        "blue",
    ),
    ("운동", "월 수 금: 러닝 5km\n화 목: 수영", "green"),
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


# -- the server, the browser, and a tab for each test ---------------------------------


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    database_url = "sqlite:///" + str(tmp_path_factory.mktemp("memo-page") / "memo.sqlite3")
    database = Database(database_url)
    migrate.upgrade(database)
    database.dispose()
    app = create_app({"MEMO_ENV": "testing", "DATABASE_URL": database_url})
    with serve(app, PREFIX) as url:
        yield url
    get_database(app).dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        expect.set_options(timeout=STEP_TIMEOUT_MS)
        try:
            yield browser
        finally:
            browser.close()


class Tab:
    """A page in a browser context of its own, and what went wrong in it.

    ``requests``: every URL the context asked for; ``problems``: console
    errors, uncaught exceptions and dialogs (``alert``), which no test expects.
    """

    def __init__(self, browser: Any, base_url: str, **options: Any) -> None:
        self.base_url = base_url
        self.context_has_javascript = options.get("java_script_enabled", True)
        self.context = browser.new_context(viewport=options.pop("viewport", DESKTOP), **options)
        self.context.set_default_timeout(STEP_TIMEOUT_MS)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.problems: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page.on(
            "console",
            lambda message: (
                self.problems.append(f"console: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"exception: {error}"))
        self.page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def problems_except(self, *expected_statuses: int) -> list[str]:
        """The problems, but for the browser's report of an expected error status."""
        expected = [f"status of {status} " for status in expected_statuses]
        return [
            problem
            for problem in self.problems
            if not any(status in problem for status in expected)
        ]

    def other_hosts(self) -> set[str]:
        """Hosts other than the server that the page asked for anything (blob: excepted)."""
        ours = urlsplit(self.base_url).netloc
        return {
            urlsplit(url).netloc or url
            for url in self.requests
            if not url.startswith(("blob:", "data:")) and urlsplit(url).netloc != ours
        }

    # -- doing what a user does --------------------------------------------------

    def register(self, user_id: str, user_name: str) -> None:
        page = self.page
        page.goto(self.base_url + "/auth/register")
        page.get_by_label("User id").fill(user_id)
        page.get_by_label("Name").fill(user_name)
        page.get_by_label("Password", exact=True).fill(PASSWORD)
        page.get_by_label("Password again").fill(PASSWORD)
        page.get_by_role("button", name="Register").click()
        expect(page).to_have_url(self.base_url + "/")
        self.wait_until_ready()

    def log_in(self, user_id: str) -> None:
        page = self.page
        page.goto(self.base_url + "/auth/login")
        page.get_by_label("User id").fill(user_id)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(self.base_url + "/")
        self.wait_until_ready()

    def wait_until_ready(self) -> None:
        """Wait for the page's scripts to have shown a view (main.js marks the body)."""
        if self.context_has_javascript:
            expect(self.page.locator("body[data-view]")).to_have_count(1)

    def write_note(self, title: str, content: str) -> Any:
        """Write a note in the "Take a note" box; return its card."""
        composer = self.page.locator("#composer")
        composer.get_by_label("Note", exact=True).click()
        composer.get_by_label("Title").fill(title)
        composer.get_by_label("Note", exact=True).fill(content)
        composer.get_by_role("button", name="Close").click()
        card = self.card(title)
        expect(card).to_be_visible()
        return card

    def card(self, title: str) -> Any:
        return self.page.locator(
            "#main .card", has=self.page.locator(".card-title", has_text=title)
        )

    def cards(self) -> Any:
        return self.page.locator("#main .card")

    def card_titles(self) -> list[str]:
        return self.page.locator("#main .card .card-title").all_inner_texts()

    def api(self, method: str, path: str, **options: Any) -> Any:
        """Call the API as the page does: the session cookie and the page's CSRF token."""
        token = self.page.locator('meta[name="csrf-token"]').get_attribute("content")
        response = self.context.request.fetch(
            self.base_url + "/api" + path,
            method=method,
            headers={"X-CSRF-Token": token or ""},
            **options,
        )
        return response

    def expect_empty(self, message: str) -> None:
        """The view shows no card, and says so (the message stays in the page when hidden)."""
        expect(self.cards()).to_have_count(0)
        expect(self.page.locator("#empty-state")).to_be_visible()
        expect(self.page.locator("#empty-state")).to_have_text(message)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def open_tab(browser: Any, base_url: str) -> Iterator[Callable[..., Tab]]:
    """``open_tab(**context_options)``: a new tab in a new context, closed after the test."""
    tabs: list[Tab] = []

    def open_one(**options: Any) -> Tab:
        tabs.append(Tab(browser, base_url, **options))
        return tabs[-1]

    try:
        yield open_one
    finally:
        for tab in tabs:
            tab.context.close()


_users = iter(range(1, 10_000))


def new_user_id(stem: str) -> str:
    """A user id no other test of the module uses (they share one database)."""
    return f"{stem}{next(_users)}"


def gradient_png(width: int = 240, height: int = 150) -> bytes:
    """A real PNG image: a blue-to-pink gradient, built from its chunks."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(
        b"\x00"
        + b"".join(
            bytes((40 + 200 * x // width, 120 + 100 * y // height, 210)) for x in range(width)
        )
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


# -- the scenario -------------------------------------------------------------


def test_a_user_goes_through_the_whole_memo_page(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("kim"), "김민지")
    expect(page.locator("#flashes")).to_contain_text("Welcome, 김민지!")
    tab.expect_empty("Notes you add appear here")
    tab.screenshot("01-empty")
    for title, content, color in OTHER_MEMOS:  # written elsewhere: through the API
        assert tab.api(
            "POST", "/memos", data={"title": title, "content": content, "color": color}
        ).ok
    page.reload()
    expect(tab.cards()).to_have_count(len(OTHER_MEMOS))

    # A memo with an image, two labels (both made in the label menu) and a colour.
    composer = page.locator("#composer")
    composer.get_by_label("Note", exact=True).click()
    composer.get_by_label("Title").fill("제주 여행")
    composer.get_by_label("Note", exact=True).fill("한라산 등반\n흑돼지 먹기")
    composer.locator("input[type=file]").set_input_files(
        files=[{"name": "jeju.png", "mimeType": "image/png", "buffer": gradient_png()}]
    )
    expect(composer.locator(".image-preview img")).to_have_attribute("src", re.compile("^blob:"))
    composer.get_by_role("button", name="Labels").click()
    menu = page.locator("#composer-labels")
    menu.get_by_label("Label name").fill("여행")
    menu.get_by_role("button", name="Create “여행”").click()
    menu.get_by_label("Label name").fill("family")
    menu.get_by_label("Label name").press("Enter")
    expect(composer.locator(".form-chips .chip")).to_have_text(["여행", "family"])
    tab.screenshot("02-label-menu")
    menu.get_by_label("Label name").press("Escape")
    expect(menu).to_be_hidden()
    composer.get_by_role("button", name="Background colour").click()
    page.locator("#composer-colors label[title=Teal]").click()
    expect(composer).to_have_class(re.compile("color-teal"))
    page.keyboard.press("Escape")
    tab.screenshot("03-composer")
    composer.get_by_role("button", name="Close").click()

    jeju = tab.card("제주 여행")
    expect(jeju).to_be_visible()
    expect(jeju.locator(".chip")).to_have_text(["여행", "family"])
    expect(jeju).to_have_class(re.compile("color-teal"))
    image = jeju.locator("img.card-image")
    expect(image).to_be_visible()
    assert image.evaluate("image => image.complete && image.naturalWidth") == 240
    assert image.get_attribute("src").startswith(PREFIX + "/api/memos/")
    expect(page.locator("#sidebar")).to_contain_text("여행")
    memo_id = int(jeju.get_attribute("data-id"))
    tab.write_note("장보기", "우유, 계란, 빵")
    tab.write_note("Meeting notes", "Discuss the roadmap\n- item one\n- item two")
    tab.screenshot("04-notes")

    # Found by a Korean word, as the user types (the search waits for a pause).
    search = page.get_by_role("searchbox", name="Search notes")
    search.fill("흑돼지")
    expect(tab.cards()).to_have_count(1)
    expect(tab.cards()).to_contain_text(["제주 여행"])
    tab.screenshot("05-search")
    search.fill("")
    expect(tab.cards()).to_have_count(len(OTHER_MEMOS) + 3)

    # Edited in the dialog; closing it saves.
    jeju.click()
    editor = page.locator("#editor")
    expect(editor).to_be_visible()
    expect(editor.get_by_label("Title")).to_have_value("제주 여행")
    editor.get_by_label("Note", exact=True).fill("한라산 등반\n흑돼지 먹기\n성산 일출봉")
    tab.screenshot("06-editor")
    editor.get_by_role("button", name="Close").click()
    expect(editor).to_be_hidden()
    expect(jeju).to_contain_text("성산 일출봉")

    # Pinned: it moves to the "Pinned" section, before the others.
    jeju.hover()
    jeju.get_by_role("button", name="Pin note").click()
    expect(page.locator("#pinned-section .card")).to_have_count(1)
    expect(page.locator("#pinned-section .card")).to_contain_text("제주 여행")
    expect(page.locator("#others-section .card")).to_have_count(len(OTHER_MEMOS) + 2)
    expect(jeju.get_by_role("button", name="Unpin note")).to_have_attribute("aria-pressed", "true")
    tab.screenshot("07-pinned")

    # Filtered by a label from the sidebar.
    page.locator("#sidebar").get_by_role("link", name="family").click()
    expect(page).to_have_url(re.compile(r"#label/\d+$"))
    expect(tab.cards()).to_have_count(1)
    expect(page.locator("#view-name")).to_have_text("family")
    expect(page.locator("#sidebar [aria-current=page]")).to_have_text("family")

    # Moved to the trash, and found there.
    jeju.hover()
    jeju.get_by_role("button", name="Move to trash").click()
    expect(tab.cards()).to_have_count(0)
    expect(page.locator("#flashes")).to_contain_text("Note moved to the trash.")
    tab.expect_empty("No notes with this label yet")
    page.locator("#sidebar").get_by_role("link", name="Trash").click()
    expect(tab.cards()).to_have_count(1)
    expect(page.locator("#trash-banner")).to_contain_text("deleted after 7 days")
    expect(page.locator("#composer")).to_be_hidden()
    tab.screenshot("08-trash")

    # Restored: back among the notes, still pinned.
    jeju.get_by_role("button", name="Restore").click()
    expect(tab.cards()).to_have_count(0)
    page.locator("#sidebar").get_by_role("link", name="Notes").click()
    expect(page.locator("#pinned-section .card")).to_contain_text("제주 여행")

    # Deleted for good, from the trash, after a confirmation.
    jeju.hover()
    jeju.get_by_role("button", name="Move to trash").click()
    expect(tab.cards()).to_have_count(len(OTHER_MEMOS) + 2)
    page.locator("#sidebar").get_by_role("link", name="Trash").click()
    expect(tab.cards()).to_have_count(1)
    jeju.get_by_role("button", name="Delete forever").click()
    confirm = page.get_by_role("alertdialog")
    expect(confirm).to_contain_text("Delete this note forever?")
    tab.screenshot("09-confirm")
    confirm.get_by_role("button", name="Delete forever").click()
    tab.expect_empty("No notes in the trash")
    assert tab.api("GET", f"/memos/{memo_id}").status == 404

    # Logged out, from the account menu.
    page.get_by_role("button", name="Account of 김민지").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(tab.base_url + "/auth/login")
    expect(page.locator("main")).to_contain_text("You have logged out.")
    page.goto(tab.base_url + "/")
    expect(page).to_have_url(re.compile(re.escape(tab.base_url) + r"/auth/login\?next="))

    assert tab.other_hosts() == set()
    served = [url for url in tab.requests if not url.startswith("blob:")]
    assert [url for url in served if not urlsplit(url).path.startswith(PREFIX + "/")] == []
    assert tab.problems == []


def test_a_title_made_of_html_stays_inert_text(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("xss"), "<b>Mallory</b>")
    card = tab.write_note(XSS_TITLE, "<script>window.pwned = true</script>")
    composer = page.locator("#composer")
    composer.get_by_label("Note", exact=True).click()
    composer.get_by_role("button", name="Labels").click()
    page.locator("#composer-labels").get_by_label("Label name").fill("<i>label</i>")
    page.locator("#composer-labels").get_by_label("Label name").press("Enter")
    expect(composer.locator(".form-chips .chip")).to_have_text(["<i>label</i>"])
    page.keyboard.press("Escape")
    page.reload()

    expect(card.locator(".card-title")).to_have_text(XSS_TITLE)
    expect(card.locator(".card-text")).to_have_text("<script>window.pwned = true</script>")
    expect(page.locator("#sidebar")).to_contain_text("<i>label</i>")
    assert card.locator("img, script").count() == 0
    assert page.locator("#sidebar i, #main b").count() == 0
    expect(page.get_by_role("button", name="Account of <b>Mallory</b>")).to_be_visible()
    card.click()
    expect(page.locator("#editor").get_by_label("Title")).to_have_value(XSS_TITLE)
    page.keyboard.press("Escape")
    expect(page.locator("#editor")).to_be_hidden()

    assert page.evaluate("() => window.pwned") is None
    assert not [url for url in tab.requests if urlsplit(url).path.endswith("/x")]
    assert tab.other_hosts() == set()
    assert tab.problems == []
    # Even a string assigned to innerHTML would be refused: the CSP's Trusted Types.
    refused = page.evaluate(
        "() => { try { document.body.innerHTML = '<b>x</b>'; return 'allowed' }"
        " catch (error) { return error.name } }"
    )
    assert refused == "TypeError"


def test_two_tabs_editing_one_memo_get_the_412_path(open_tab: Callable[..., Tab]) -> None:
    first, second = open_tab(), open_tab()
    user_id = new_user_id("park")
    first.register(user_id, "박지훈")
    second.log_in(user_id)
    created = first.api("POST", "/memos", data={"title": "회의록", "content": "안건 하나"})
    assert created.status == 201
    memo_id = created.json()["id"]
    for tab in (first, second):
        tab.page.reload()
        tab.card("회의록").click()
        expect(tab.page.locator("#editor")).to_be_visible()
        expect(tab.page.locator("#editor").get_by_label("Note", exact=True)).to_have_value(
            "안건 하나"
        )

    first_editor = first.page.locator("#editor")
    first_editor.get_by_label("Note", exact=True).fill("안건 하나\n안건 둘 (첫 번째 탭)")
    first_editor.get_by_role("button", name="Close").click()
    expect(first_editor).to_be_hidden()

    # The second tab read the memo before that change: its save is refused (412),
    # and it shows the newer version, with its own text kept aside.
    editor = second.page.locator("#editor")
    editor.get_by_label("Note", exact=True).fill("안건 하나\n안건 셋 (두 번째 탭)")
    editor.get_by_role("button", name="Close").click()
    conflict = editor.locator(".conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("This note was changed elsewhere.")
    expect(conflict.locator(".mine-content")).to_have_text("안건 하나\n안건 셋 (두 번째 탭)")
    expect(editor.get_by_label("Note", exact=True)).to_have_value("안건 하나\n안건 둘 (첫 번째 탭)")
    expect(second.card("회의록")).to_contain_text("안건 둘 (첫 번째 탭)")
    second.screenshot("10-conflict")
    assert second.api("GET", f"/memos/{memo_id}").json()["content"] == (
        "안건 하나\n안건 둘 (첫 번째 탭)"
    )

    # Written again over the newer version, it is saved.
    editor.get_by_label("Note", exact=True).fill("안건 하나\n안건 둘 (첫 번째 탭)\n안건 셋")
    editor.get_by_role("button", name="Close").click()
    expect(editor).to_be_hidden()
    expect(second.card("회의록")).to_contain_text("안건 셋")
    assert second.api("GET", f"/memos/{memo_id}").json()["content"] == (
        "안건 하나\n안건 둘 (첫 번째 탭)\n안건 셋"
    )
    assert first.problems == []
    assert second.problems_except(412) == []


def test_a_save_that_fails_keeps_the_dialog_and_its_text(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("kang"), "강민수")
    memo_id = tab.api("POST", "/memos", data={"title": "일기", "content": "오늘"}).json()["id"]
    page.reload()
    tab.card("일기").click()
    editor = page.locator("#editor")
    note = editor.get_by_label("Note", exact=True)
    expect(note).to_have_value("오늘")
    page.route(
        "**/api/memos/*",
        lambda route: (
            route.fulfill(status=503, json={"code": 503, "message": "Try again later."})
            if route.request.method == "PATCH"
            else route.continue_()
        ),
    )
    note.fill("오늘은 길게 썼다")
    # Chrome closes a modal dialog by itself on a second Escape with no click or typing
    # in between, whatever the page does with `cancel`: the text must survive that.
    for _ in range(3):
        page.keyboard.press("Escape")
        expect(editor.locator(".dialog-message")).to_contain_text("Try again later.")
    expect(editor).to_be_visible()
    expect(note).to_have_value("오늘은 길게 썼다")
    expect(editor.locator("form")).to_have_attribute("aria-busy", "false")  # no save under way
    page.unroute("**/api/memos/*")
    page.keyboard.press("Escape")
    expect(editor).to_be_hidden()
    assert tab.api("GET", f"/memos/{memo_id}").json()["content"] == "오늘은 길게 썼다"
    assert tab.problems_except(503) == []


def test_a_memo_opened_without_its_etag_is_not_written_over(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("shin"), "신유진")
    memo_id = tab.api("POST", "/memos", data={"title": "계획", "content": "첫 판"}).json()["id"]
    page.reload()
    # Reading the memo as the dialog opens fails (the network dropped): no ETag yet.
    failed: list[str] = []
    page.route(
        f"**/api/memos/{memo_id}",
        lambda route: (
            failed.append(route.request.url) or route.abort()
            if route.request.method == "GET" and not failed
            else route.continue_()
        ),
    )
    tab.card("계획").click()
    editor = page.locator("#editor")
    expect(editor.locator(".dialog-message")).to_contain_text("could not be read")
    changed = tab.api("PATCH", f"/memos/{memo_id}", data={"content": "다른 기기에서 고친 판"})
    assert changed.ok
    editor.get_by_label("Note", exact=True).fill("이 탭에서 고친 판")
    editor.get_by_role("button", name="Close").click()
    # Saved over nothing: the newer version is shown, this tab's text kept beside it.
    expect(editor.locator(".conflict")).to_be_visible()
    expect(editor.locator(".conflict .mine-content")).to_have_text("이 탭에서 고친 판")
    expect(editor.get_by_label("Note", exact=True)).to_have_value("다른 기기에서 고친 판")
    assert tab.api("GET", f"/memos/{memo_id}").json()["content"] == "다른 기기에서 고친 판"
    assert [problem for problem in tab.problems if "ERR_FAILED" not in problem] == []


def test_a_log_out_elsewhere_keeps_the_note_being_written(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    user_id = new_user_id("oh")
    tab.register(user_id, "오지은")
    memo_id = tab.api("POST", "/memos", data={"title": "편지", "content": "안녕"}).json()["id"]
    page.reload()
    tab.card("편지").click()
    editor = page.locator("#editor")
    editor.get_by_label("Note", exact=True).fill("안녕, 오래 쓴 편지")
    other = tab.context.new_page()  # the same browser: logging out there ends this session
    other.goto(tab.base_url + "/auth/logout")
    other.locator("main").get_by_role("button", name="Log out").click()
    expect(other).to_have_url(tab.base_url + "/auth/login")

    # The save answers 401: the page stays (reloading would lose the text) and says why.
    editor.get_by_role("button", name="Close").click()
    expect(editor.locator(".dialog-message")).to_contain_text("You have been logged out.")
    expect(editor).to_be_visible()
    expect(page).to_have_url(tab.base_url + "/")
    with tab.context.expect_page() as opened:
        editor.locator(".dialog-message").get_by_role("button", name="Log in").click()
    login = opened.value
    expect(login).to_have_url(re.compile(re.escape(tab.base_url) + "/auth/login"))
    login.get_by_label("User id").fill(user_id)
    login.get_by_label("Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    expect(login).to_have_url(tab.base_url + "/")

    # Back here, closing saves, with the new session's CSRF token.
    editor.get_by_role("button", name="Close").click()
    expect(editor).to_be_hidden()
    expect(tab.card("편지")).to_contain_text("오래 쓴 편지")
    assert tab.api("GET", f"/memos/{memo_id}").json()["content"] == "안녕, 오래 쓴 편지"
    assert tab.problems_except(401) == []


def test_labels_typed_while_the_last_one_is_made_are_kept(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("seo"), "서하늘")
    held: list[Any] = []  # the answers to "make this label", held back: a slow network
    page.route(
        "**/api/labels",
        lambda route: held.append(route) if route.request.method == "POST" else route.continue_(),
    )
    composer = page.locator("#composer")
    composer.get_by_label("Note", exact=True).click()
    composer.get_by_role("button", name="Labels").click()
    name = page.locator("#composer-labels").get_by_label("Label name")
    name.fill("work")
    name.press("Enter")
    expect(name).to_have_value("")
    name.press_sequentially("ho")
    for _ in range(100):  # the request reaches the route soon after Enter
        if held:
            break
        page.wait_for_timeout(20)
    held.pop().continue_()
    expect(composer.locator(".form-chips .chip")).to_have_text(["work"])
    name.press_sequentially("me")
    expect(name).to_have_value("home")
    page.unroute("**/api/labels")
    assert tab.problems == []


def test_screen_readers_hear_the_search_and_the_languages(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("moon"), "문서연")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the page's own words
    for title, content in [("قائمة التسوق", "حليب، بيض، خبز"), ("장보기", "우유")]:
        tab.api("POST", "/memos", data={"title": title, "content": content, "is_pinned": True})
    page.reload()
    # Every note is pinned: no empty "Others" section under them.
    expect(page.locator("#pinned-section .card")).to_have_count(2)
    expect(page.locator("#others-section")).to_be_hidden()
    # Each note's text takes the direction of its own script.
    arabic = tab.card("قائمة التسوق")
    for part in (arabic.locator(".card-title"), arabic.locator(".card-text")):
        assert part.evaluate("element => getComputedStyle(element).direction") == "rtl"
    assert (
        tab.card("장보기")
        .locator(".card-title")
        .evaluate("element => getComputedStyle(element).direction")
        == "ltr"
    )

    # What the search found is said in a status region, as the cards come.
    status = page.get_by_role("status").filter(has_text=re.compile("found|results"))
    search = page.get_by_role("searchbox", name="Search notes")
    search.fill("우유")
    expect(status).to_have_text("1 note found")
    search.fill("없는 말")
    expect(status).to_have_text("No matching results")
    assert tab.problems == []


# -- the rest of the page ------------------------------------------------------------------


def test_more_cards_load_as_the_list_scrolls_following_the_link_header(
    open_tab: Callable[..., Tab],
) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("lee"), "이서준")
    for number in range(1, 41):
        text = "\n".join(f"{number}번째 메모의 {line}번째 줄" for line in range(1, 6))
        response = tab.api("POST", "/memos", data={"title": f"메모 {number:02}", "content": text})
        assert response.status == 201
    tab.requests.clear()
    page.reload()
    expect(tab.cards().first).to_contain_text("메모 40")
    loaded = _settled_count(tab)
    assert loaded % 15 == 0 and 15 <= loaded < 40, loaded

    # Trashing a loaded card moves the later memos up a page; the page reads its last
    # page again, so the one that moved up into it is not skipped.
    first = tab.card("메모 40")
    first.hover()
    first.get_by_role("button", name="Move to trash").click()
    expect(tab.card("메모 40")).to_have_count(0)
    for _ in range(20):  # scroll to the end, a screen at a time
        if tab.cards().count() == 39:
            break
        page.mouse.wheel(0, 2000)
        page.wait_for_timeout(150)
    expect(tab.cards()).to_have_count(39)
    assert tab.card_titles() == [f"메모 {number:02}" for number in range(39, 0, -1)]
    assert tab.cards().last.get_attribute("aria-setsize") == "39"

    pages = [
        parse_qs(urlsplit(url).query)
        for url in tab.requests
        if urlsplit(url).path == PREFIX + "/api/memos"
    ]
    assert {"2", "3"} <= {query.get("page", ["1"])[0] for query in pages}
    assert all(query.get("is_deleted") == ["false"] for query in pages)
    assert tab.problems == []


def _settled_count(tab: Tab) -> int:
    """How many cards are shown once the page stops loading more by itself (bounded)."""
    count, deadline = -1, time.monotonic() + STEP_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        expect(tab.page.locator("#load-more .spinner")).to_be_hidden()
        tab.page.wait_for_timeout(300)
        if tab.cards().count() == count:
            return count
        count = tab.cards().count()
    raise AssertionError("the page kept loading cards")


def test_the_page_works_with_the_keyboard_alone(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    keyboard = page.keyboard
    page.goto(tab.base_url + "/auth/register")
    # The form starts in the user id field, and Tab goes through it in order.
    keyboard.type(new_user_id("choi"))
    for value in ("최유나", PASSWORD, PASSWORD):
        keyboard.press("Tab")
        keyboard.type(value)
    keyboard.press("Enter")
    expect(page).to_have_url(tab.base_url + "/")
    tab.wait_until_ready()

    # "c" opens the note box; Shift+Tab goes to the title; Escape saves, and the new
    # card takes the focus.
    keyboard.press("c")
    expect(page.locator("#composer")).to_have_class(re.compile("expanded"))
    keyboard.type("키보드로 쓴 메모")
    keyboard.press("Shift+Tab")
    keyboard.press("Shift+Tab")
    expect(page.locator("#composer").get_by_label("Title")).to_be_focused()
    keyboard.type("키보드")
    keyboard.press("Escape")
    card = tab.card("키보드")
    expect(card).to_contain_text("키보드로 쓴 메모")
    expect(card).to_be_focused()
    keyboard.press("c")
    keyboard.type("두 번째 메모")
    keyboard.press("Escape")
    expect(tab.cards()).to_have_count(2)
    expect(tab.cards().first).to_be_focused()

    # "j" and "k" go from card to card, with a visible focus ring; Enter opens one.
    keyboard.press("j")
    expect(card).to_be_focused()
    assert card.evaluate("card => getComputedStyle(card).outlineStyle") == "solid"
    keyboard.press("k")
    expect(tab.cards().first).to_be_focused()
    keyboard.press("j")
    tab.screenshot("11-keyboard-focus")
    keyboard.press("Enter")
    editor = page.locator("#editor")
    expect(editor).to_be_visible()
    expect(editor.get_by_label("Title")).to_be_focused()
    keyboard.press("End")
    keyboard.type(" (고침)")
    keyboard.press("Escape")
    expect(editor).to_be_hidden()
    expect(tab.card("키보드 (고침)")).to_be_focused()

    # Tab reaches the card's buttons: pin it, and the focus stays on its button.
    keyboard.press("Tab")
    expect(card.get_by_role("button", name="Pin note")).to_be_focused()
    keyboard.press("Enter")
    pinned = page.locator("#pinned-section .card")
    expect(pinned).to_have_count(1)
    expect(pinned.get_by_role("button", name="Unpin note")).to_be_focused()

    # "/" goes to the search box.
    keyboard.press("Escape")
    page.locator("#main").focus()
    keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search notes")).to_be_focused()
    assert tab.problems == []


def test_labels_are_made_renamed_and_deleted_in_their_dialog(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    tab.register(new_user_id("han"), "한지민")
    page.get_by_role("button", name="Edit labels").click()
    dialog = page.locator("#labels-dialog")
    expect(dialog).to_be_visible()
    new_label = dialog.get_by_label("New label name")
    expect(new_label).to_be_focused()
    for name in ("work", "home"):
        new_label.fill(name)
        new_label.press("Enter")
        expect(dialog.locator(f"input[value='{name}']")).to_be_visible()
    new_label.fill("work")
    new_label.press("Enter")
    expect(dialog.locator(".dialog-message")).to_contain_text("already have a label named")
    expect(page.locator("#label-links li")).to_have_text(["home", "work"])
    tab.screenshot("12-labels-dialog")
    dialog.get_by_role("button", name="Done").click()

    tab.api("POST", "/memos", data={"title": "보고서", "content": "금요일까지", "labels": "work"})
    page.reload()
    expect(tab.card("보고서").locator(".chip")).to_have_text(["work"])
    page.get_by_role("button", name="Edit labels").click()
    name_field = dialog.get_by_label("Name of label work")
    name_field.fill("회사")
    name_field.press("Enter")
    expect(page.locator("#label-links li")).to_have_text(["home", "회사"])
    expect(tab.card("보고서").locator(".chip")).to_have_text(["회사"])

    dialog.get_by_role("button", name="Delete label home").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Delete").click()
    expect(page.locator("#label-links li")).to_have_text(["회사"])
    # Its row went with the focused button: the focus stays in the dialog, on its first field.
    expect(new_label).to_be_focused()
    dialog.get_by_role("button", name="Done").click()
    expect(dialog).to_be_hidden()
    assert [label["content"] for label in tab.api("GET", "/labels").json()] == ["회사"]
    assert tab.problems_except(409) == []


def test_colours_are_kept_and_the_trash_is_emptied(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab()
    page = tab.page
    user_id = new_user_id("yoon")
    tab.register(user_id, "윤하")
    for title in ("첫째", "둘째"):
        tab.api("POST", "/memos", data={"title": title, "content": "내용"})
    page.reload()
    card = tab.card("첫째")
    card.hover()
    card.get_by_role("button", name="Background colour").click()
    palette = page.locator("#card-colors")
    expect(palette).to_be_visible()
    palette.locator("label[title=Teal]").click()
    expect(card).to_have_class(re.compile("color-teal"))
    page.keyboard.press("Escape")
    page.reload()
    expect(tab.card("첫째")).to_have_class(re.compile("color-teal"))
    assert _background(tab.card("첫째")) == "rgb(180, 221, 211)"
    # Where the system asks for a dark theme, the page and the colours are Keep's dark ones.
    dark = open_tab(color_scheme="dark")
    dark.log_in(user_id)
    assert _background(dark.page.locator("body")) == "rgb(32, 33, 36)"
    assert _background(dark.card("첫째")) == "rgb(12, 98, 93)"
    # The gray swatch is nearly the dark menu's colour: its edge is drawn in the line colour.
    gray = dark.page.locator("#card-colors label[title=Gray]")
    assert gray.evaluate("swatch => getComputedStyle(swatch).boxShadow").startswith(
        "rgb(95, 99, 104)"
    )
    dark.screenshot("17-dark")

    for title in ("첫째", "둘째"):
        tab.card(title).hover()
        tab.card(title).get_by_role("button", name="Move to trash").click()
    expect(tab.cards()).to_have_count(0)
    page.locator("#sidebar").get_by_role("link", name="Trash").click()
    expect(tab.cards()).to_have_count(2)
    page.get_by_role("button", name="Empty trash").click()
    page.get_by_role("alertdialog").get_by_role("button", name="Empty trash").click()
    tab.expect_empty("No notes in the trash")
    assert tab.api("GET", "/memos?is_deleted=true").json() == []
    assert tab.problems == []


def _background(locator: Any) -> str:
    return locator.evaluate("element => getComputedStyle(element).backgroundColor")  # type: ignore[no-any-return]


def test_a_phone_gets_two_columns_and_a_drawer(open_tab: Callable[..., Tab]) -> None:
    tab = open_tab(viewport=PHONE, device_scale_factor=1, has_touch=True)
    page = tab.page
    tab.register(new_user_id("jung"), "정다은")
    for title, content in [
        ("장보기", "우유, 계란, 빵, 사과"),
        ("할 일", "세탁소 들르기\n택배 보내기"),
        ("Ideas", "A memo app on a WSGI framework written from scratch"),
    ]:
        tab.api("POST", "/memos", data={"title": title, "content": content})
    page.reload()
    expect(tab.cards()).to_have_count(3)
    boxes = [tab.cards().nth(index).bounding_box() for index in range(2)]
    assert boxes[0]["x"] < boxes[1]["x"] and boxes[0]["y"] == boxes[1]["y"]
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in boxes)
    sidebar = page.locator("#sidebar")
    expect(sidebar).to_be_hidden()
    tab.screenshot("13-phone")

    page.get_by_role("button", name="Main menu").click()
    expect(sidebar).to_be_visible()
    expect(page.get_by_role("button", name="Main menu")).to_have_attribute("aria-expanded", "true")
    tab.screenshot("14-phone-menu")
    sidebar.get_by_role("link", name="Trash").click()
    expect(sidebar).to_be_hidden()
    expect(page.locator("#view-name")).to_have_text("Trash")

    page.goto(tab.base_url + "/#notes")
    tab.card("할 일").click()
    editor = page.locator("#editor")
    expect(editor).to_be_visible()
    assert editor.bounding_box()["width"] == PHONE["width"]
    # The note's colour (the form's) fills the whole screen, not only the top of it.
    assert editor.locator("form").bounding_box()["height"] == PHONE["height"]
    tab.screenshot("15-phone-editor")
    assert tab.problems == []


def test_log_in_and_register_work_with_javascript_turned_off(
    open_tab: Callable[..., Tab],
) -> None:
    tab = open_tab(java_script_enabled=False)
    page = tab.page
    user_id = new_user_id("nojs")
    tab.register(user_id, "오세훈")
    expect(page.locator("#flashes")).to_contain_text("Welcome, 오세훈!")
    notice = page.locator("main noscript .notice")  # Playwright's text search skips <noscript>
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("This page needs JavaScript")
    expect(page.locator("#composer")).to_be_hidden()
    # The account menu is an HTML popover: it opens without script.
    page.get_by_role("button", name="Account of 오세훈").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(tab.base_url + "/auth/login")
    expect(page.locator("main")).to_contain_text("You have logged out.")

    page.get_by_label("User id").fill(user_id)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong user id or password.")
    expect(page.get_by_label("User id")).to_have_value(user_id)
    tab.screenshot("16-login-error-without-javascript")
    tab.log_in(user_id)
    assert tab.problems_except(400) == []
