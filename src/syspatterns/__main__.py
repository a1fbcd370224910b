"""Run the command line interface with ``python -m syspatterns``."""

from syspatterns.cli import run

if __name__ == "__main__":
    run()
