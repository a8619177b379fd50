"""`mesh adopt`: a plain dbt project becomes a mesh whose models all start in the `legacy` domain.

`plan` works out every change without dbt (and refuses, changing nothing, when the project cannot be
adopted); `apply` writes it, compiles the adopted project once and records its open violations in the
baseline, so `mesh check` passes at once and only new violations fail; `project_yml` nests the model
folders' config in dbt_project.yml.
"""

# legacy's owner unless told otherwise: the platform team keeps the monolith lights-on
DEFAULT_OWNER = "Data Platform"
DEFAULT_EMAIL = "data-platform@example.com"
DEFAULT_TEAM_HANDLE = "@data-platform"
