"""Errors the user can act on. The CLI prints them as one line; the traceback only with --debug."""


class MeshError(Exception):
    """A mistake in what the user asked for or in the project (exit code 2)."""

    exit_code = 2


class DbtFailure(MeshError):
    """dbt ran but could not parse the project or a node failed (exit code 1)."""

    exit_code = 1


def one_line(text: object, limit: int = 400) -> str:
    """Fold a multi-line message (dbt's are) into one line of at most `limit` characters."""
    folded = " ".join(str(text).split())
    return folded if len(folded) <= limit else folded[: limit - 1] + "…"
