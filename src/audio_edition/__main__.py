"""python -m audio_edition"""

import sys

from audio_edition.cli import main

sys.exit(main())
