"""`python -m mesh_platform`: the same as the `mesh` command."""

import sys

from .cli import main

sys.exit(main())
