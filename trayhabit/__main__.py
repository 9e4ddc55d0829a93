"""Entry point: ``trayhabit`` (or ``python -m trayhabit``) starts the tray app or runs a subcommand."""

import sys

from trayhabit.cli import main

if __name__ == "__main__":
    sys.exit(main())
