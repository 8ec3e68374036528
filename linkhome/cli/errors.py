class CliError(Exception):
    """Shown to the person on stderr; the command exits non-zero."""
