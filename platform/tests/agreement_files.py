"""Access agreement files for tests: written as `mesh access` writes them, into a project folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mesh_platform.access.agreements import Agreement, agreement_path, render

TODAY = dt.date.today()


def file_agreement(root: Path, producer: str, consumer: str, product: str, status: str = "approved",
                   until: dt.date | None = None, columns: tuple[str, ...] = (), purpose: str = "Weekly report.") -> str:
    """Write the agreement of `consumer` on `product` into `producer`'s folder under `root`; its path."""
    agreement = Agreement(consumer=consumer, product=product, purpose=purpose, status=status,
                          requested_by="them@x.example", requested_on=TODAY, columns=list(columns), until=until,
                          decided_by=None if status == "requested" else "us@x.example",
                          decided_on=None if status == "requested" else TODAY)
    path = agreement_path(producer, consumer, product)
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(render(agreement), encoding="utf-8")
    return path
