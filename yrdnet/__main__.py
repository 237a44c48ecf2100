"""``python -m yrdnet``: the command line."""

from yrdnet.cli.commands import main

raise SystemExit(main())
