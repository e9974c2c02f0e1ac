"""The ``python -m odi`` command line: one module per subcommand, :mod:`odi.cli.main` routes."""
