"""`python -m accord` runs the CLI."""

from accord.cli.main import main

main()
