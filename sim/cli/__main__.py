"""`python -m sim.cli ...`: the same as the `sim` console script."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
