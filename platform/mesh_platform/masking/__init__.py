"""Masking personal data: a keyed HMAC whose key never enters SQL, artifacts or logs.

`mask_pii(column)` compiles to a call of the SQL function `mesh_pii_mask`, which the warehouse's session
provides: on DuckDB a function this package registers on each connection (the dbt-duckdb plugin in
`duckdb_plugin`), computing HMAC-SHA-256 with the key from the environment. The key is read from
`DBT_ENV_SECRET_MESH_PII_KEY` (dbt scrubs such variables from its logs); only the demo target may fall back
to a key of its own, generated once beside the warehouse file and never committed or published.
"""

MASKING_FUNCTION = "mesh_pii_mask"  # what mask_pii() compiles to: lineage stops personal data at this call
KEY_VARIABLE = "DBT_ENV_SECRET_MESH_PII_KEY"
MASKING_MACRO = "mask_pii"  # the dbt macro; it compiles to MASKING_FUNCTION


def masks(manifest) -> bool:
    """Whether the parsed project (dbt's Manifest) has the platform's `mask_pii` macro, so its builds need a key."""
    return any(macro.name == MASKING_MACRO for macro in manifest.macros.values())
