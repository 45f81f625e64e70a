"""`python -m briefing` runs the command line."""

from .entry import main

main()
