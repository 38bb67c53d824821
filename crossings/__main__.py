"""Entry point for `python -m crossings`."""

import sys

from crossings.cli import main

sys.exit(main())
