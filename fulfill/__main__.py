"""`python -m fulfill` runs the same entry point as the `fulfill` command."""

import sys

from fulfill.cli import main

sys.exit(main())
