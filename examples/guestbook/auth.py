"""The ``auth`` blueprint: register, log in, log out; ``login_required`` for other views."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from werkzeug.security import check_password_hash, generate_password_hash

from microwsgi import Blueprint, flash, g, redirect, render_template, request, session, url_for
from microwsgi.csrf import rotate_csrf_token

from .db import get_db

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.before_app_request
def load_logged_in_user() -> None:
    user_id = session.get("user_id")
    g.user = None
    if user_id is not None:
        g.user = get_db().execute("SELECT * FROM user WHERE id = ?", (user_id,)).fetchone()


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send a visitor who is not logged in to the login page, and back afterwards."""

    @functools.wraps(view)
    def wrapped(**kwargs: Any) -> Any:
        if g.user is None:
            flash("Log in first.", "error")
            return redirect(url_for("auth.login", next=_page_to_return_to()))
        return view(**kwargs)

    return wrapped


def _page_to_return_to() -> str | None:
    """The page to come back to after logging in: a path inside the app, or None.

    A GET asks for a page: that page, with its query string. Any other method
    sent a form, and a redirect cannot send it again: the browser would GET a
    URL that takes only POST (``/sign``) and see a 405. So it is the page the
    form was on, named by the ``Referer`` header when that is a page of this
    app (same scheme, host and mount point); without one, None (the index).
    """
    if request.method in ("GET", "HEAD"):
        return request.full_path
    if not request.referrer:
        return None
    referrer = urlsplit(request.referrer)
    app_root = request.script_root + "/"
    if (referrer.scheme, referrer.netloc) != (
        request.scheme,
        request.host,
    ) or not referrer.path.startswith(app_root):
        return None
    path = referrer.path[len(request.script_root) :]
    return f"{path}?{referrer.query}" if referrer.query else path


def _is_local_path(target: str) -> bool:
    """Whether ``target`` is a path of this site, not a URL of another one.

    ``//evil.example/`` and ``/\\evil.example/`` are read by browsers as
    addresses of another host, so only ``/`` followed by something else counts.
    """
    return target.startswith("/") and target[1:2] not in ("/", "\\")


def _credentials() -> tuple[str, str, str | None]:
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    if not username or not password:
        return username, password, "Both a username and a password are needed."
    return username, password, None


@bp.route("/register", methods=["GET", "POST"])
def register() -> Any:
    if request.method == "POST":
        username, password, error = _credentials()
        if error is None:
            db = get_db()
            try:
                db.execute(
                    "INSERT INTO user (username, password_hash) VALUES (?, ?)",
                    (username, generate_password_hash(password)),
                )
                db.commit()
            except db.IntegrityError:
                error = f"The name {username} is taken."
            else:
                flash("Registered. Now log in.", "info")
                return redirect(url_for("auth.login"), 303)
        flash(error, "error")
        return render_template("auth/register.html", username=username), 400
    return render_template("auth/register.html")


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    if request.method == "POST":
        username, password, error = _credentials()
        user = get_db().execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()
        if error is None and (
            user is None or not check_password_hash(user["password_hash"], password)
        ):
            error = "Wrong username or password."
        if error is None:
            session.clear()
            session["user_id"] = user["id"]
            rotate_csrf_token()  # a token seen before logging in is no longer valid
            flash(f"Welcome, {username}!", "info")
            target = request.args.get("next", "")
            # Only local paths: an open redirect would let another site borrow our login page.
            if _is_local_path(target):
                # ``next`` is a path inside the app: put the mount point back in front.
                return redirect(request.script_root + target, 303)
            return redirect(url_for("book.index"), 303)
        flash(error, "error")
        return render_template("auth/login.html", username=username), 400
    return render_template("auth/login.html")


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    session.clear()
    flash("Logged out.", "info")
    return redirect(url_for("book.index"), 303)
