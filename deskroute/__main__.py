"""`python -m deskroute` runs the CLI."""

from deskroute.cli.main import main

main()
