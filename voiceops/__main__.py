import sys

from voiceops.cli import main

sys.exit(main())
