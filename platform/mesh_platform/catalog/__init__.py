"""The data-product catalog: a static site (`target/catalog/`) generated from the mesh's own facts.

`facts` collects what the manifest says (domains, products, contracts, consumers, exposures) and
`observations` what the runs and the warehouse add (last successful build, quality history, masked sample
rows); `collect` gathers them with the rules' findings, the legacy burn-down and each product's ODCS contract.
`lineage` draws the domain graph as SVG, `reports` and `charts` the self-serve reports (exposures with a
chart), `site` renders everything through the Jinja2 templates in `templates/`, `generate` is the entry point
of `mesh catalog` and `mesh report`, `serve` serves the site on localhost. Nothing here imports the CLI.
"""

from pathlib import Path

DEFAULT_OUTPUT = Path("target") / "catalog"
# Every page carries it (a <meta http-equiv>) and `mesh catalog --serve` sends it: the site's own files only, no
# inline script or style, so text that slipped through as markup still could not run.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "form-action 'self'; base-uri 'none'")
# What --serve sends with the other files (a chart's SVG opened by itself): no script at all, its own styles.
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
