"""Flash messages: kept in the session until read, read once, cached for the request."""

from __future__ import annotations

import pytest

from microwsgi import App, redirect, session, url_for
from microwsgi.flash import flash, get_flashed_messages


@pytest.fixture
def flash_app(app):
    @app.post("/save")
    def save():
        flash("Saved.", "success")
        return redirect(url_for("show"))

    @app.route("/show")
    def show():
        return {"messages": get_flashed_messages(with_categories=True)}

    return app


def test_flash_survives_a_redirect(flash_app):
    client = flash_app.test_client()
    response = client.post("/save", follow_redirects=True)
    assert response.status_code == 200
    assert [r.status_code for r in response.history] == [302]
    assert response.get_json() == {"messages": [["success", "Saved."]]}


def test_flashed_messages_are_shown_only_once(flash_app):
    client = flash_app.test_client()
    client.post("/save", follow_redirects=True)
    assert client.get("/show").get_json() == {"messages": []}


def test_reading_flashes_removes_them_from_the_session(flash_app):
    client = flash_app.test_client()
    client.post("/save")
    with client:
        client.get("/show")
        assert "_flashes" not in session
    # The only key was the flashes, so the now-empty session's cookie is deleted.
    assert client.get_cookie("session") is None


def test_messages_without_categories(app, client):
    @app.route("/")
    def index():
        flash("one")
        flash("two", "error")
        return {"messages": get_flashed_messages()}

    # Flashed and read in the same request, like a page that flashes and then renders.
    assert client.get("/").get_json() == {"messages": ["one", "two"]}


def test_default_category_is_message(app):
    with app.test_request_context():
        flash("hello")
        assert get_flashed_messages(with_categories=True) == [("message", "hello")]


def test_messages_keep_their_order_across_requests(app, client):
    @app.route("/add/<text>")
    def add(text):
        flash(text)
        return "ok"

    @app.route("/show")
    def show():
        return {"messages": get_flashed_messages()}

    for text in ("first", "second", "third"):
        client.get(f"/add/{text}")
    assert client.get("/show").get_json() == {"messages": ["first", "second", "third"]}


def test_second_call_in_one_request_sees_the_same_messages(app, client):
    @app.route("/")
    def index():
        flash("once")
        layout = get_flashed_messages()
        page = get_flashed_messages()
        return {"layout": layout, "page": page}

    assert client.get("/").get_json() == {"layout": ["once"], "page": ["once"]}


def test_cache_is_per_request(app, client):
    """An app context shared by several requests must not share the cached messages."""

    @app.route("/add")
    def add():
        flash("new")
        return "ok"

    @app.route("/show")
    def show():
        return {"messages": get_flashed_messages()}

    with app.app_context():
        assert client.get("/show").get_json() == {"messages": []}
        client.get("/add")
        assert client.get("/show").get_json() == {"messages": ["new"]}


def test_category_filter_keeps_only_those_categories(app):
    with app.test_request_context():
        flash("saved", "success")
        flash("careful", "warning")
        flash("broken", "error")
        assert get_flashed_messages(category_filter=["error", "warning"]) == [
            "careful",
            "broken",
        ]


def test_category_filter_given_as_one_string_is_one_category(app):
    with app.test_request_context():
        flash("a", "error")
        flash("b", "err")
        # Flask would test each category as a substring of "error" and also return "b".
        assert get_flashed_messages(category_filter="error") == ["a"]


def test_category_filter_with_categories(app):
    with app.test_request_context():
        flash("a", "info")
        flash("b", "error")
        assert get_flashed_messages(with_categories=True, category_filter=["error"]) == [
            ("error", "b")
        ]


def test_filtered_out_messages_are_removed_too(app, client):
    @app.route("/add")
    def add():
        flash("a", "info")
        flash("b", "error")
        return "ok"

    @app.route("/errors")
    def errors():
        return {"messages": get_flashed_messages(category_filter=["error"])}

    client.get("/add")
    assert client.get("/errors").get_json() == {"messages": ["b"]}
    assert client.get("/errors").get_json() == {"messages": []}


def test_no_messages_gives_an_empty_list(app):
    with app.test_request_context():
        assert get_flashed_messages() == []


def test_reading_without_a_secret_key_gives_nothing():
    app = App(__name__)
    with app.test_request_context():
        assert get_flashed_messages() == []


def test_flashing_without_a_secret_key_explains_how_to_set_one():
    app = App(__name__)
    with app.test_request_context(), pytest.raises(RuntimeError, match="SECRET_KEY"):
        flash("hello")


def test_flash_outside_a_request_explains_the_context():
    with pytest.raises(RuntimeError, match="outside of a request context"):
        flash("hello")


def test_message_with_html_is_stored_as_plain_text(app, client):
    @app.route("/add")
    def add():
        flash("<b>bold</b>")
        return "ok"

    @app.route("/show")
    def show():
        messages = get_flashed_messages()
        return {"type": type(messages[0]).__name__, "text": messages[0]}

    client.get("/add")
    assert client.get("/show").get_json() == {"type": "str", "text": "<b>bold</b>"}


def test_unexpected_value_under_the_flash_key_is_ignored(app):
    with app.test_request_context():
        session["_flashes"] = ["not a pair", ["info", "kept"], 7]
        assert get_flashed_messages(with_categories=True) == [("info", "kept")]


def test_template_shows_flashed_messages_escaped_in_layout_and_page(app, client):
    from microwsgi import render_template_string

    page = (
        "{% for category, message in get_flashed_messages(with_categories=true) %}"
        '<p class="{{ category }}">{{ message }}</p>{% endfor %}'
        "|{{ get_flashed_messages()|length }}"
    )

    @app.post("/comment")
    def comment():
        flash("<script>alert(1)</script> posted", "info")
        return redirect(url_for("show"))

    @app.route("/show")
    def show():
        return render_template_string(page)

    html = client.post("/comment", follow_redirects=True).text
    assert html == '<p class="info">&lt;script&gt;alert(1)&lt;/script&gt; posted</p>|1'
