"""The ``auth`` blueprint: the register, log-in and log-out pages.

The forms post back to themselves with a hidden ``csrf_token`` field; a
mistake is flashed and the form is shown again with what was typed (never
the password). Logging in keeps only the user's numeric id in the signed
session cookie, and makes a new CSRF token, so a token seen before logging
in is worthless after.

Each view acts only on ``POST``, and shows its page for anything else. A GET
route answers HEAD with the same view, and CSRF protection lets HEAD through
as a safe method: a view that took "not GET" to mean "POST" would register,
log in or log out on a HEAD request, without a token (a link checker's HEAD
to ``/auth/logout`` logged its user out).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from microwsgi import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from microwsgi.csrf import rotate_csrf_token

from .api.errors import APIError
from .api.text import nfc
from .api.users import register_user
from .db import end_transaction, get_session
from .models import User
from .security import check_password, is_user_id

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.before_app_request
def load_logged_in_user() -> None:
    """``g.user`` for the pages: the logged-in ``User``, or None."""
    g.user = None
    if request.blueprint == "api":
        return  # the API finds its caller itself (api/identity.py)
    user_id = session.get("user_id")
    if is_user_id(user_id):
        g.user = get_session().get(User, user_id)
        if g.user is None:
            session.pop("user_id", None)  # the account is gone


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path), 303)
        return view(**kwargs)

    return wrapped


@bp.get("")
@bp.get("/")
def index() -> Response:
    return redirect(url_for("auth.login"), 303)


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if g.user is not None:
        return redirect(url_for("base.index"), 303)
    if request.method != "POST":
        return render_template("auth/register.html")
    form = request.form
    user_id, user_name = form.get("user_id", ""), form.get("user_name", "")
    password, repassword = form.get("password", ""), form.get("repassword", "")
    if not user_id.strip() or not user_name.strip() or not password:
        flash("Fill in every field.", "error")
    elif password != repassword:
        flash("The two passwords differ.", "error")
    else:
        try:
            user = register_user(user_id, user_name, password)
        except APIError as error:
            flash(_sentence(error), "error")
        else:
            _log_in(user)
            flash(f"Welcome, {user.user_name}!", "info")
            return redirect(url_for("base.index"), 303)
    return render_template("auth/register.html", user_id=user_id, user_name=user_name), 400


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method != "POST":
        if g.user is not None:
            return redirect(_next_page(), 303)
        return render_template("auth/login.html")
    user_id, password = request.form.get("user_id", ""), request.form.get("password", "")
    # No user id or password holds a NUL character (registering refuses them, and
    # PostgreSQL could not even look such an id up).
    user = None if "\0" in user_id + password else _user_named(user_id)
    end_transaction()  # scrypt takes a while: not while holding SQLite's write lock
    if not user_id or not password:
        flash("Enter your user id and password.", "error")
    elif not check_password(user, password) or user is None:
        flash("Wrong user id or password.", "error")
    else:
        _log_in(user)
        return redirect(_next_page(), 303)
    return render_template("auth/login.html", user_id=user_id), 400


@bp.route("/logout", methods=["GET", "POST"])
def logout() -> Any:
    """GET shows a button (a link that logs out could be triggered by another site)."""
    if request.method != "POST":
        if g.user is None:
            return redirect(url_for("auth.login"), 303)
        return render_template("auth/logout.html")
    session.clear()
    rotate_csrf_token()
    flash("You have logged out.", "info")
    return redirect(url_for("auth.login"), 303)


def _user_named(user_id: str) -> User | None:
    return get_session().scalar(select(User).where(User.user_id == nfc(user_id).strip()))


def _log_in(user: User) -> None:
    session.clear()
    session["user_id"] = user.id
    session.permanent = True
    rotate_csrf_token()


def _next_page() -> str:
    """``next=`` when it names a page of this site that answers GET, else ``/``.

    Only a local path is followed (an open redirect would lend our login
    page to phishing), and only one the router maps to a GET page outside
    the API, so the login cannot end on a 405 or on JSON.
    """
    target = request.args.get("next", "")
    path, _, _query = target.partition("?")
    if path.startswith("/") and not path.startswith("//") and "\\" not in target:
        try:
            rule, _args = current_app.url_map.match(path, "GET")
        except Exception:  # no such page, or a redirect to its canonical URL
            rule = None
        if rule is not None and not rule.endpoint.startswith(("api.", "auth.", "static")):
            return request.script_root + target
    return url_for("base.index")


def _sentence(error: APIError) -> str:
    """An API error as one sentence for a flash message: "Password must be at least 8 ..."."""
    if not error.errors:
        return error.description
    parts = [f"{field.replace('_', ' ')} {problem}" for field, problem in error.errors.items()]
    return "; ".join(parts).capitalize() + "."
