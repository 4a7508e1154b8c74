"""``python -m govcases`` is the ``govcases`` command."""

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
