"""Flash messages: a note from one request to the next ("Saved.", "Wrong password.").

Flask counterpart: ``flash`` and ``get_flashed_messages`` in ``flask/helpers.py``.

The idea to take away: a flashed message is only an entry in the session.
A view that handles a form calls ``flash("Saved.")`` and redirects; the
message travels in the session cookie through the redirect; the page that
follows calls ``get_flashed_messages()``, which takes the messages *out* of
the session, so each is shown once.

    @app.post("/settings")
    def save_settings():
        ...
        flash("Settings saved.", "success")
        return redirect(url_for("settings"))

    {% for category, message in get_flashed_messages(with_categories=True) %}
      <p class="{{ category }}">{{ message }}</p>
    {% endfor %}

The messages read are kept on the request context for the rest of the
request, so a layout and a page can both call ``get_flashed_messages()`` and
see the same list.

Where this differs from Flask: messages come back as plain strings, never as
``Markup``, because the session stores JSON. A template escapes them like any
other text, so a message that repeats user input cannot inject HTML.
``category_filter="error"`` (a single string) filters by that one category;
Flask would test each category as a substring of the string.

``flash()`` sends the ``message_flashed`` signal (see ``signals.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType
from typing import Any

from .globals import _request_ctx

# microwsgi.signals, once something imported it (it sets this): see signals.py.
_signals: ModuleType | None = None

#: The session key under which pending messages wait, as ``[category, message]`` pairs.
SESSION_KEY = "_flashes"


def flash(message: str, category: str = "message") -> None:
    """Keep ``message`` for the next page that shows flashed messages.

    ``category`` is free text; ``"message"``, ``"info"``, ``"success"``,
    ``"warning"`` and ``"error"`` are the usual ones. Needs a ``SECRET_KEY``,
    like anything that writes to the session.
    """
    ctx = _request_ctx()
    session = ctx.session
    # A new list (not an append in place) so the session sees the change and saves it.
    session[SESSION_KEY] = [*session.get(SESSION_KEY, ()), [category, message]]
    if _signals is not None and _signals.message_flashed.receivers:
        app = ctx.app
        _signals.message_flashed.send(
            app, _async_wrapper=app.ensure_sync, message=message, category=category
        )


def get_flashed_messages(
    with_categories: bool = False, category_filter: str | Iterable[str] = ()
) -> list[Any]:
    """The flashed messages, oldest first, removed from the session.

    ``with_categories=True`` gives ``(category, message)`` pairs instead of
    messages. ``category_filter`` keeps only those categories; the others are
    still removed from the session.
    """
    ctx = _request_ctx()
    flashes = ctx.flashes
    if flashes is None:
        session = ctx.session
        stored = session.pop(SESSION_KEY) if SESSION_KEY in session else []
        flashes = _valid_pairs(stored)
        ctx.flashes = flashes
    if category_filter:
        wanted = {category_filter} if isinstance(category_filter, str) else set(category_filter)
        flashes = [pair for pair in flashes if pair[0] in wanted]
    if with_categories:
        return list(flashes)
    return [message for _, message in flashes]


def _valid_pairs(stored: Any) -> list[tuple[str, str]]:
    """The stored pairs as tuples, skipping anything that is not a pair.

    The session is signed, so only this app wrote it; but an app that once
    stored something else under the same key should not get a crash here.
    """
    if not isinstance(stored, list):
        return []
    return [
        (str(item[0]), item[1])
        for item in stored
        if isinstance(item, list | tuple) and len(item) == 2
    ]
