"""The data-product catalog: a static site (`target/catalog/`) generated from the mesh's own facts.

`facts` collects what the manifest says (domains, products, contracts, consumers, exposures), `builds` what the
platform recorded of the builds (the nightly's reports, else `mesh build`'s) and `observations` what the
warehouse holds (quality history, SLA history through `sla_history`, masked sample rows); `collect` gathers them
with the rules' findings, the legacy burn-down and each product's ODCS contract. `lineage` draws the domain graph
(laid out by `layout`), `reports` and `charts` the self-serve reports (exposures with a chart), `sla_chart` each
product's SLA history, `site` renders everything through the autoescaped Jinja2 templates in `templates/` into a
folder `site_folder` swaps into place, `generate` is the entry point of `mesh catalog` and `mesh report`, `serve`
serves the site on localhost. Nothing here imports the CLI.
"""

from pathlib import Path

DEFAULT_OUTPUT = Path("target") / "catalog"
# Every page carries it (a <meta http-equiv>) and `mesh catalog --serve` sends it: the site's own files only, no
# inline script or style, so text that slipped through as markup still could not run.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                           "form-action 'self'; base-uri 'none'")
# What --serve sends with the other files (a chart's SVG opened by itself): no script at all, its own styles.
FILE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
