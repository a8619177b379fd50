"""One writer per format that typed or imported text lands in: each escapes it for that format, so text
stays data (never YAML structure, Jinja, SQL or markup)."""
