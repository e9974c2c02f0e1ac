"""``python -m odi``."""

import sys

from odi.cli.main import main

sys.exit(main())
