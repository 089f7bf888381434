"""The command line: `govkg` and its subcommands (main.py), and its output formats (output.py)."""
