"""``python -m autobp``: the same as the ``autobp`` command."""

from .cli import main

raise SystemExit(main())
