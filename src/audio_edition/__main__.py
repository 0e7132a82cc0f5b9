"""python -m audio_edition"""

import sys

from .cli import main

sys.exit(main())
