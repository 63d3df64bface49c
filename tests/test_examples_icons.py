"""Every HTML page of the demos names its icon, with a URL inside the app's mount point.

A page without ``<link rel="icon">`` makes the browser ask for ``/favicon.ico``
at the root of the host. Under ``uwsgi --mount /prefix=...`` (or nginx's
``location /prefix/``) that URL is outside the app: another app's page, or a
404 that Chromium reports as a console error on every page of the demo.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from examples.calculator import create_app as create_calculator
from examples.guestbook import create_app as create_guestbook
from examples.memo import create_app as create_memo

MOUNT = "/prefix"

#: Each demo, and the HTML pages a visitor who is not logged in can open.
DEMOS: dict[str, tuple[Callable[[Path], Any], list[str]]] = {
    "calculator": (lambda tmp: create_calculator({"SECRET_KEY": "icons"}), ["/"]),
    "guestbook": (
        lambda tmp: create_guestbook("testing", DATABASE=str(tmp / "guestbook.sqlite3")),
        ["/", "/auth/login", "/auth/register"],
    ),
    "memo": (
        lambda tmp: create_memo(
            {"MEMO_ENV": "testing", "DATABASE_URL": f"sqlite:///{tmp / 'memo.sqlite3'}"}
        ),
        ["/auth/login", "/auth/register", "/api/docs"],
    ),
}

ICON_LINK = re.compile(r"<link\b[^>]*\brel=\"(?:shortcut )?icon\"[^>]*>")
HREF = re.compile(r"\bhref=\"([^\"]*)\"")


@pytest.mark.parametrize(
    ("demo", "path"), [(demo, path) for demo, (_, paths) in DEMOS.items() for path in paths]
)
def test_the_page_names_an_icon_inside_the_mount(demo: str, path: str, tmp_path: Path) -> None:
    factory, _ = DEMOS[demo]
    client = factory(tmp_path).test_client()
    response = client.get(path, base_url=f"http://localhost{MOUNT}/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    links = ICON_LINK.findall(response.text)
    assert links, f'{demo} {path}: no <link rel="icon">, so the browser asks /favicon.ico'
    href_match = HREF.search(links[0])
    assert href_match, links[0]
    href = href_match.group(1)
    assert href.startswith(("data:", f"{MOUNT}/")), href
    if href.startswith(f"{MOUNT}/"):  # the icon itself is served, under the mount
        icon = client.get(href.removeprefix(MOUNT), base_url=f"http://localhost{MOUNT}/")
        assert icon.status_code == 200
        assert icon.mimetype.startswith("image/")
