"""Allow ``python -m orderly`` as an alias for the ``orderly`` console script."""

from orderly import cli

if __name__ == "__main__":
    cli.main(prog_name="orderly")
