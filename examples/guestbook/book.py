"""The ``book`` blueprint: read the entries, and sign the book when logged in."""

from __future__ import annotations

from typing import Any

from microwsgi import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from .auth import login_required
from .db import get_db

bp = Blueprint("book", __name__)

MAX_ENTRY_LENGTH = 500


@bp.route("/")
def index() -> Any:
    entries = (
        get_db()
        .execute(
            "SELECT entry.body, entry.created, user.username FROM entry"
            " JOIN user ON user.id = entry.author_id ORDER BY entry.id DESC LIMIT ?",
            (current_app.config["ENTRIES_PER_PAGE"],),
        )
        .fetchall()
    )
    return render_template("book/index.html", entries=entries)


@bp.route("/sign", methods=["POST"])
@login_required
def sign() -> Any:
    body = request.form.get("body", "").strip()
    if not body or len(body) > MAX_ENTRY_LENGTH:
        flash(f"Write between 1 and {MAX_ENTRY_LENGTH} characters.", "error")
        return redirect(url_for("book.index"), 303)
    db = get_db()
    db.execute("INSERT INTO entry (author_id, body) VALUES (?, ?)", (g.user["id"], body))
    db.commit()
    flash("Thank you for signing!", "info")
    return redirect(url_for("book.index"), 303)
