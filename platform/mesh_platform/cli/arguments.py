"""Argument types shared by the commands."""

from __future__ import annotations

import argparse


def whole_number(text: str) -> int:
    """A whole number, at least 1 (argparse says what is wrong otherwise)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, at least 1, not '{text}'")
    return int(text)
