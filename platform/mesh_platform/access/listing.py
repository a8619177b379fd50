"""The agreements as rows, for `mesh access list` and the catalog: who reads what, why, until when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import MeshError
from .agreements import Filed, load_agreements


def state(entry: Filed, today: dt.date) -> str:
    """The status, with `expired` for an approved agreement past its end date."""
    agreement = entry.agreement
    return "expired" if agreement.status == "approved" and agreement.expired(today) else agreement.status


def row(entry: Filed, today: dt.date) -> dict:
    agreement = entry.agreement
    return {"id": agreement.id, "producer": entry.producer, "consumer": agreement.consumer,
            "product": agreement.product, "status": agreement.status, "state": state(entry, today),
            "purpose": agreement.purpose, "columns": list(agreement.columns),
            "until": agreement.until.isoformat() if agreement.until else None,
            "requested_by": agreement.requested_by, "requested_on": agreement.requested_on.isoformat(),
            "decided_by": agreement.decided_by,
            "decided_on": agreement.decided_on.isoformat() if agreement.decided_on else None, "path": entry.path}


def agreement_rows(root: Path, domain: str | None, product: str | None, today: dt.date) -> list[dict]:
    """Every agreement (of `domain` as producer or consumer, on `product`), sorted by producer and id; an
    unreadable agreement file is refused in one line."""
    filed, unreadable = load_agreements(root)
    if unreadable:
        raise MeshError(unreadable[0].problem)
    return [row(entry, today) for entry in sorted(filed, key=lambda e: (e.producer, e.agreement.id))
            if (domain is None or domain in (entry.producer, entry.agreement.consumer))
            and (product is None or entry.agreement.product == product)]
