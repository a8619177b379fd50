"""What sqlfluff's Jinja templater sees besides its own dbt stand-ins (ref, source, this, is_incremental).

Loaded by sqlfluff as a library package (its names become top-level names in the template context, and it
runs again for every file), so it only hands over what `mesh_platform.lint.dbt_jinja` built once per process
for the project sqlfluff runs in: dbt's cross-database macros (`{{ dbt.type_string() }}`, rendered as DuckDB
SQL of dbt's shape), the project's own macros, each installed package's macros under its name
(`{{ dbt_utils.star(...) }}`), and `config`, `var`, `env_var`, `adapter`, `target`, ... as dbt has them at
parse time. A name none of them has (a typo, `dbt.no_such_macro`) is still a templating error.
"""

import os

from mesh_platform.lint.dbt_jinja import world

globals().update(world(os.getcwd()).context())
del os, world
