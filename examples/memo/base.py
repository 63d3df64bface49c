"""The ``base`` blueprint: the memo page at ``/``, and the security headers of every page.

The memo page is a shell: the server renders the bar, the sidebar, the empty
grids and the dialogs, and the scripts in ``static/js/`` fill them from the
JSON API (``static/js/main.js`` is where to start reading). The page carries
what its scripts need in ``<meta>`` tags: the CSRF token for their writes
(``csrf-token``) and where the API is (``api-root``, which includes the
mount prefix under ``uwsgi --mount``).

Every page of the app (this blueprint's and ``auth``'s) gets a strict
Content-Security-Policy: scripts, styles, images and API calls only from
this site, no inline script or style, no ``<base>``, no framing, and Trusted
Types that forbid assigning strings to ``innerHTML`` and its kin. So even if
a memo's title were ever put into the page as HTML, the browser would refuse
to run it (Flask leaves such headers to extensions such as Flask-Talisman).
"""

from __future__ import annotations

from microwsgi import Blueprint, Response, render_template, request

from .auth import login_required

bp = Blueprint("base", __name__)

#: The pages' Content-Security-Policy (CSP Level 3). ``blob:`` images are the
#: previews of images chosen for upload (``URL.createObjectURL``).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' blob:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "trusted-types 'none'",
    ]
)
#: The blueprints whose responses are the app's HTML pages (the API's
#: documentation page is Swagger UI's, with its own needs).
PAGE_BLUEPRINTS = frozenset({"base", "auth"})


@bp.get("/")
@login_required
def index() -> str:
    return render_template("index.html")


@bp.after_app_request
def page_security_headers(response: Response) -> Response:
    """Add the CSP and its companions to the pages (see the module docstring)."""
    if request.blueprint in PAGE_BLUEPRINTS:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
    return response
