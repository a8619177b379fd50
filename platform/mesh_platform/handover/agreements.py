"""The access agreements on a moved product go with it: filed in the new owner's folder, named after the
product's new name; consumers keep reading under the agreements their owners approved."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from pathlib import Path

Agreed = Callable[[str, str, str], bool]  # (producer, consumer, product): an approved agreement lets it read


def agreed_reads(root: Path, today: dt.date) -> Agreed:
    """Whether an approved, unexpired agreement filed today lets the consumer read the producer's product."""
    from ..access import load_agreements

    filed, _ = load_agreements(root)
    granted = {(entry.producer, entry.agreement.consumer, entry.agreement.product) for entry in filed
               if entry.agreement.grants(today)}
    return lambda producer, consumer, product: (producer, consumer, product) in granted


def moved_agreements(root: Path, moves: Iterable, to: str) -> list[tuple[str, str, str]]:
    """(file, new file, new text) of every agreement on a moved model, whatever its status."""
    from ..access import load_agreements
    from ..access.agreements import agreement_path

    filed, _ = load_agreements(root)
    found = []
    for move in moves:
        for entry in filed:
            if entry.producer == move.from_domain and entry.agreement.product == move.name:
                text = (root / entry.path).read_text(encoding="utf-8")
                if move.new_name != move.name:
                    text = re.sub(rf"(?m)^(product:\s*)(['\"]?){re.escape(move.name)}\2(\s*(#.*)?)$",
                                  rf"\g<1>\g<2>{move.new_name}\g<2>\g<3>", text)
                found.append((entry.path, agreement_path(to, entry.agreement.consumer, move.new_name), text))
    return found
