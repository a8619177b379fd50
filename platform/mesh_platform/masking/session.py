"""Handing the masking key to a warehouse session that is not DuckDB's (DuckDB's plugin reads it itself).

PostgreSQL: the key travels as the session setting `mesh.pii_key` in PGOPTIONS, which libpq reads when dbt
connects (so it never enters SQL, dbt's artifacts or its log), and `mesh_pii_mask` is made once per database
by the `mesh_masking_setup` macro.
"""

from __future__ import annotations

import os
import re

from ..errors import DbtFailure
from .key import masking_key

SETTING = "mesh.pii_key"
OURS = re.compile(rf"-c\s*{re.escape(SETTING)}=(?:\\.|\S)*")  # an earlier run's setting, replaced


def prepare_warehouse(session) -> None:
    """Before a build on `session`'s target: the key in the session's settings and the masking function made."""
    from ..warehouse import target_credentials

    _, credentials = target_credentials(session.project, session.target)
    if credentials.type != "postgres":
        return
    key = masking_key(None).decode("utf-8")
    escaped = key.replace("\\", "\\\\").replace(" ", "\\ ")  # libpq's escapes in an options string
    others = OURS.sub("", os.environ.get("PGOPTIONS", "")).strip()
    os.environ["PGOPTIONS"] = f"-c {SETTING}={escaped} {others}".strip()
    result = session.invoke(["run-operation", "mesh_masking_setup"])
    if not result.success:
        from ..dbt_session import describe_failure

        raise DbtFailure(f"could not make the masking function on {credentials.type}: "
                         f"{describe_failure(result, session.project)}")
