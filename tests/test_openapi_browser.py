"""The API docs page in a real browser: Swagger UI under a mount prefix, offline.

An app with a documented API is served by Werkzeug's development server on a
free loopback port, mounted under ``/api``. Debian's Chromium, driven by
Playwright, opens ``/api/docs``; the test checks that the page lists the
operations, that "Try it out" calls the app under the prefix, and that the
browser asked no other host for anything (the JavaScript and CSS come from
the app, not from a CDN). Screenshots are saved in the test's temporary folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import pytest
from apps.browser import CHROMIUM, CHROMIUM_ARGS, STEP_TIMEOUT_MS, serve, sync_api

from microwsgi import App, Blueprint, MethodView, request
from microwsgi.openapi import OpenAPI, operation

PREFIX = "/api"


@dataclass
class NoteIn:
    title: Annotated[str, {"minLength": 1}]
    body: str = ""


def create_app() -> App:
    app = App(__name__)
    app.config["SECRET_KEY"] = "a key for tests only"
    notes = Blueprint("notes", __name__, url_prefix="/notes")

    @notes.get("/")
    def list_notes() -> list[Any]:
        """List the notes."""
        return []

    @notes.post("/")
    @operation(body=NoteIn, responses={201: NoteIn})
    def create_note() -> Any:
        """Create a note."""
        return request.validated_body, 201

    class Note(MethodView):
        def get(self, note_id: int) -> dict[str, Any]:
            """Read one note."""
            return {"id": note_id}

        def delete(self, note_id: int) -> tuple[str, int]:
            """Delete a note."""
            return "", 204

    notes.add_url_rule("/<int:note_id>", view_func=Note.as_view("note"))
    app.register_blueprint(notes)
    OpenAPI(app, title="Notes API", version="1.0")
    return app


@pytest.fixture
def base_url() -> Iterator[str]:
    """The app under /api on a free port, served from a thread while the test runs."""
    with serve(create_app(), PREFIX) as url:
        yield url


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator[tuple[sync_api.Page, list[str], list[str]]]:
    """A page, every URL it requested, and every console error or failed request."""
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1100, "height": 900},
        )
        try:
            context.set_default_timeout(STEP_TIMEOUT_MS)
            page = context.pages[0] if context.pages else context.new_page()
            requested: list[str] = []
            problems: list[str] = []
            page.on("request", lambda r: requested.append(r.url))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.on(
                "console",
                lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None,
            )
            yield page, requested, problems
        finally:
            context.close()


def test_docs_page_lists_the_operations_offline_under_the_prefix(
    browser_page: tuple[sync_api.Page, list[str], list[str]], base_url: str, tmp_path: Path
) -> None:
    page, requested, problems = browser_page
    response = page.goto(base_url + "/docs")
    assert response is not None and response.status == 200
    page.wait_for_selector(".opblock")

    operations = [
        " ".join(text.split())
        for text in page.locator(".opblock .opblock-summary").all_inner_texts()
    ]
    assert [line.split(" ")[:2] for line in operations] == [
        ["GET", "/notes/"],
        ["POST", "/notes/"],
        ["GET", "/notes/{note_id}"],
        ["DELETE", "/notes/{note_id}"],
    ]
    assert "Create a note." in operations[1]
    assert page.locator(".info .title").inner_text().startswith("Notes API")
    # The server Swagger UI sends requests to is the mount prefix.
    assert page.locator(".servers select").input_value() == PREFIX
    page.screenshot(path=str(tmp_path / "docs.png"), full_page=True)

    # "Try it out" on POST /notes/ with an invalid body: the app answers 422 under /api.
    post = page.locator(".opblock-post")
    post.locator(".opblock-summary").click()
    post.locator("button.try-out__btn").click()
    post.locator("textarea.body-param__text").fill('{"title": ""}')
    with page.expect_response(lambda r: r.request.method == "POST") as answered:
        post.locator("button.execute").click()
    answer = answered.value
    assert answer.url == base_url + "/notes/"
    assert answer.status == 422
    assert answer.json()["errors"] == {"title": "must be at least 1 character long"}
    shown_status = post.locator(".live-responses-table tbody .response-col_status").first
    shown_status.wait_for()
    assert shown_status.inner_text().strip().startswith("422")
    page.screenshot(path=str(tmp_path / "docs-try-it-out.png"), full_page=True)

    origin = urlsplit(base_url).netloc
    assert requested, "the page made no request at all"
    assert {urlsplit(url).netloc for url in requested} == {origin}
    assert all(urlsplit(url).path.startswith(PREFIX + "/") for url in requested)
    assert base_url + "/openapi.json" in requested
    # The one error the browser logs is the 422 the test asked for.
    assert [problem for problem in problems if "status of 422" not in problem] == []
    assert (tmp_path / "docs.png").stat().st_size > 0
