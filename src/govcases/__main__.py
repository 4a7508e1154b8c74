"""``python -m govcases`` is the ``govcases`` command."""

from .cli import main

raise SystemExit(main())
