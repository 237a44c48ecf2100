"""``python -m yrdnet``: the command line."""

from yrdnet.cli import main

raise SystemExit(main())
