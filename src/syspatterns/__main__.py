"""Run the command line interface with ``python -m syspatterns``."""

from syspatterns.cli import main

if __name__ == "__main__":
    main()
