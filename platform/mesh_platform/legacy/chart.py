"""The legacy burn-down chart: models and SQL lines left in the monolith over time, as a PNG.

matplotlib is imported only when a chart is drawn, through its object API and the Agg backend (no pyplot,
no global backend switch, no display needed).
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from ..files import write_atomically
from .status import History

DPI = 120


def write_chart(history: History, path: Path, title: str) -> None:
    """Draw `history` into the PNG file `path`, whole: written beside it, then renamed into place."""
    write_atomically(path, render_chart(history, title))


def render_chart(history: History, title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    points = ([history.start] if history.start is not None else []) + list(history.points)
    dates = [point.date for point in points]
    figure = Figure(figsize=(10, 6.5), layout="constrained")
    FigureCanvasAgg(figure)
    models_axis, lines_axis = figure.subplots(2, 1, sharex=True)
    for axis, values, label, colour in (
        (models_axis, [point.models for point in points], "Models in legacy", "#c0392b"),
        (lines_axis, [point.sql_lines for point in points], "SQL lines in legacy", "#2c3e50"),
    ):
        axis.step(dates, values, where="post", color=colour, linewidth=2.2, marker="o", markersize=4)
        axis.fill_between(dates, values, step="post", color=colour, alpha=0.12)
        axis.set_ylabel(label)
        axis.set_ylim(0, max(max(values) * 1.15, 1))
        axis.yaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(True, alpha=0.3)
        axis.annotate(f"{values[-1]:,}", (dates[-1], values[-1]), textcoords="offset points", xytext=(6, 6),
                      color=colour, fontweight="bold")
    locator = AutoDateLocator()
    lines_axis.xaxis.set_major_locator(locator)
    lines_axis.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    first, last = min(dates), max(dates)
    margin = max((last - first) / 20, dt.timedelta(days=3))
    lines_axis.set_xlim(first - margin, last + margin)
    lines_axis.set_xlabel("date (each point: the legacy domain at the end of that day)")
    if history.start is None:
        models_axis.text(0.5, 0.2, "no ownership log yet: today's figures only", transform=models_axis.transAxes,
                         ha="center", color="#7f8c8d")
    figure.suptitle(title, fontsize=13, fontweight="bold")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()
