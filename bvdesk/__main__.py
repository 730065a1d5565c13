"""Allow ``python -m bvdesk``."""

from bvdesk.cli import main

raise SystemExit(main())
