"""``python -m odi``."""

import sys

from odi.cli import main

sys.exit(main())
