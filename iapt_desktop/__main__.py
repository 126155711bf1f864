import sys

from iapt_desktop.app import main

sys.exit(main())
