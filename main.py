"""Start IAPT Desktop (the GUI, or the CLI when given a sub-command)."""

import sys

from iapt_desktop.app import main

if __name__ == "__main__":
    sys.exit(main())
