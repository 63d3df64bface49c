"""abort() through the app's Aborter, and redirect() through app.redirect."""

from __future__ import annotations

import pytest

from microwsgi import App, Response, abort, redirect
from microwsgi.exceptions import Aborter, HTTPException, NotFound, Unauthorized


class QuotaExhausted(HTTPException):
    code = 460
    description = "Your quota is used up."


def test_abort_outside_an_app_raises_the_standard_exception() -> None:
    with pytest.raises(Unauthorized):
        abort(401)
    with pytest.raises(LookupError, match="no exception for that status"):
        abort(460)


def test_an_apps_own_codes_are_raised_by_abort_in_its_context(app: App) -> None:
    app.aborter.mapping[460] = QuotaExhausted

    @app.route("/banned")
    def banned() -> str:
        abort(460)

    response = app.test_client().get("/banned")
    assert response.status_code == 460
    assert "quota is used up" in response.text


def test_aborter_class_can_be_replaced() -> None:
    class QuotaAborter(Aborter):
        def __init__(self) -> None:
            super().__init__(extra={460: QuotaExhausted})

    class QuotaApp(App):
        aborter_class = QuotaAborter

    app = QuotaApp("quota")
    with app.app_context(), pytest.raises(QuotaExhausted):
        abort(460)
    assert App("plain").aborter.mapping.get(460) is None


def test_abort_keeps_its_description_and_arguments(app: App) -> None:
    with app.app_context(), pytest.raises(NotFound) as info:
        abort(404, "no such memo")
    assert info.value.description == "no such memo"


def test_redirect_in_an_app_context_uses_the_apps_redirect(app: App) -> None:
    class AppResponse(Response):
        pass

    app.response_class = AppResponse
    with app.app_context():
        response = redirect("/next", 303)
    assert isinstance(response, AppResponse)
    assert (response.status_code, response.headers["Location"]) == (303, "/next")


def test_redirect_can_be_overridden_by_the_app(app: App) -> None:
    seen = []

    class AuditedApp(App):
        def redirect(self, location: str, code: int = 302) -> Response:
            seen.append(location)
            return super().redirect(location, code)

    audited = AuditedApp("audited")
    with audited.app_context():
        redirect("https://example.test/")
    assert seen == ["https://example.test/"]


def test_redirect_outside_an_app_builds_a_plain_response() -> None:
    response = redirect("https://example.test/", 307)
    assert type(response) is Response
    assert response.status_code == 307
