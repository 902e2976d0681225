"""`python3 -m presskit import FILE.docx [--lang fr] [--force]`, or `status`: translations from the command line."""

import sys

from presskit.tasks.translations import main

sys.exit(main())
