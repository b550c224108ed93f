"""``python -m engagement_index.cli``: the same as the ``engagement`` command."""

import sys

from engagement_index.cli.main import main

sys.exit(main())
