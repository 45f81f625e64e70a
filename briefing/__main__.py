"""`python -m briefing` runs the command line."""

from .cli.entry import main

main()
