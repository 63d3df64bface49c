"""``python -m microwsgi``: the same as the ``microwsgi`` command (see ``cli.py``).

Flask counterpart: ``flask/__main__.py``.

The idea to take away: ``python -m package`` runs the package's ``__main__``
module, which works even where the console script is not on ``PATH``.
"""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main(prog="python -m microwsgi"))
