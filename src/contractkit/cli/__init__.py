"""The command line: a thin typer layer over :mod:`contractkit.api`."""
