"""The ``base`` blueprint: the memo page at ``/``.

For now a page rendered on the server, listing the newest memos; the
dynamic page (cards loaded from the API as the user scrolls) replaces
``templates/index.html`` and ``static/``. The page carries the CSRF token in
``<meta name="csrf-token">`` for its scripts' API calls.
"""

from __future__ import annotations

from sqlalchemy import func, select

from microwsgi import Blueprint, g, render_template

from .auth import login_required
from .db import get_session
from .models import Memo

bp = Blueprint("base", __name__)


@bp.get("/")
@login_required
def index() -> str:
    session = get_session()
    conditions = (Memo.user_id == g.user.id, Memo.is_deleted.is_(False))
    memos = session.scalars(
        select(Memo)
        .where(*conditions)
        .order_by(Memo.is_pinned.desc(), Memo.created_at.desc(), Memo.id.desc())
        .limit(15)
    ).all()
    total = session.scalar(select(func.count()).select_from(Memo).where(*conditions))
    return render_template("index.html", memos=memos, total=total)
