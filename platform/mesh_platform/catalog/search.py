"""The search index: products (with their columns), domains and reports, as JavaScript files the home page
loads with <script> tags, so that search works from a page opened from disk (browsers refuse fetch() there).

The index is cut into shards of at most SHARD_BYTES, so that no file of a large mesh's catalog is big.
"""

from __future__ import annotations

import json

SHARD_BYTES = 400_000
TEXT_CHARS, COLUMN_TEXT_CHARS = 300, 160
PREFIX = "window.MESH_SEARCH = (window.MESH_SEARCH || []).concat("
SUFFIX = ");\n"


def search_entries(catalog) -> list[dict]:
    """One entry per product, domain and report: kind, name, domain, page, text and a product's columns."""
    entries = []
    for product in catalog.products.values():
        entries.append({"k": "product", "n": product.name, "d": product.domain or "", "u": product.page,
                        "t": _cut(product.description, TEXT_CHARS),
                        "c": [[c.name, c.data_type, _cut(c.description, COLUMN_TEXT_CHARS)] for c in product.columns]})
    for domain in catalog.domains.values():
        text = f"{domain.domain.owner_name}. {domain.domain.description}"
        entries.append({"k": "domain", "n": domain.name, "d": domain.name, "u": domain.page,
                        "t": _cut(text, TEXT_CHARS)})
    for report in catalog.reports.values():
        if report.chart is not None:
            entries.append({"k": "report", "n": report.label, "d": report.domain or "", "u": report.page,
                            "t": _cut(report.description, TEXT_CHARS)})
    return entries


def shards(entries: list[dict], limit: int = SHARD_BYTES) -> list[str]:
    """The entries as JavaScript files of at most about `limit` bytes each (one entry is never split)."""
    files: list[str] = []
    batch: list[str] = []
    size = 0
    for entry in entries:
        text = json.dumps(entry, separators=(",", ":"))  # ASCII only: no charset to get wrong
        if batch and size + len(text) + 1 > limit:
            files.append(_file(batch))
            batch, size = [], 0
        batch.append(text)
        size += len(text) + 1
    if batch or not files:
        files.append(_file(batch))
    return files


def _file(batch: list[str]) -> str:
    return PREFIX + "[" + ",".join(batch) + "]" + SUFFIX


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
