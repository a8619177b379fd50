"""Report charts as SVG, drawn by matplotlib through its object API (no pyplot, no global backend switch).

Text stays text (`svg.fonttype: none`): smaller files, selectable labels, fonts from the page. Ids and
metadata are fixed, so the same numbers give the same file. Colours are Okabe and Ito's palette, readable
with colour-vision deficiencies; ordered series (cohorts) take a sequential colour map instead.
"""

from __future__ import annotations

import io

from .reports import ReportTable, format_value

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK, MUTED, GRID = "#1e293b", "#475569", "#e2e8f0"
RC = {"svg.fonttype": "none", "svg.hashsalt": "mesh-catalog", "font.family": "sans-serif", "font.size": 10,
      "axes.edgecolor": MUTED, "axes.labelcolor": INK, "xtick.color": MUTED, "ytick.color": MUTED,
      "axes.spines.top": False, "axes.spines.right": False}
FIGSIZE = (7.6, 4.4)


def chart_svg(table: ReportTable, kind: str, style: str, title: str) -> str:
    """The chart of a report's table as an SVG document (text)."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    with matplotlib.rc_context(RC):
        figure = Figure(figsize=FIGSIZE, layout="constrained")
        FigureCanvasSVG(figure)
        axis = figure.add_subplot()
        colours = _colours(len(table.series), ordered=kind == "line" and len(table.series) > len(PALETTE) // 2)
        {"bar": _bars, "stacked_bar": _bars, "barh": _bars_horizontal, "line": _lines, "funnel": _funnel}[kind](
            axis, table, colours, stacked=kind == "stacked_bar")
        value_axis = axis.xaxis if kind in ("barh", "funnel") else axis.yaxis
        value_axis.set_major_formatter(FuncFormatter(lambda value, _position: _tick(value, style)))
        axis.grid(True, axis="x" if kind in ("barh", "funnel") else "y", color=GRID, linewidth=0.8)
        axis.set_axisbelow(True)
        if kind not in ("barh", "funnel"):
            axis.set_xlabel(table.x_label)
        if len(table.series) > 1:
            axis.legend(frameon=False, fontsize=9, ncols=min(len(table.series), 4), loc="lower left",
                        bbox_to_anchor=(0, 1.0), title=None)
        figure.suptitle(title, x=0.01, ha="left", color=INK, fontsize=12, fontweight="bold")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "mesh catalog"})
    return buffer.getvalue()


def _colours(count: int, ordered: bool) -> list[str]:
    if not ordered:
        return [PALETTE[i % len(PALETTE)] for i in range(count)]
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return [to_hex(cmap(0.9 * i / max(count - 1, 1))) for i in range(count)]


def _bars(axis, table: ReportTable, colours: list[str], stacked: bool) -> None:
    positions = range(len(table.categories))
    count = len(table.series)
    width = 0.8 if stacked else 0.8 / count
    bottom = [0.0] * len(table.categories)
    for i, (name, values) in enumerate(table.series):
        heights = [value or 0.0 for value in values]
        if stacked:
            axis.bar(positions, heights, width, bottom=bottom, label=name, color=colours[i])
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
        else:
            offsets = [p - 0.4 + width * (i + 0.5) for p in positions]
            axis.bar(offsets, heights, width, label=name, color=colours[i])
    axis.set_xticks(list(positions), table.categories, rotation=45 if len(table.categories) > 6 else 0,
                    ha="right" if len(table.categories) > 6 else "center")


def _bars_horizontal(axis, table: ReportTable, colours: list[str], stacked: bool) -> None:
    positions = range(len(table.categories))
    count = len(table.series)
    height = 0.8 / count
    for i, (name, values) in enumerate(table.series):
        offsets = [p - 0.4 + height * (i + 0.5) for p in positions]
        axis.barh(offsets, [value or 0.0 for value in values], height, label=name, color=colours[i])
    axis.set_yticks(list(positions), table.categories)
    axis.invert_yaxis()  # the first row on top, as in the table


def _lines(axis, table: ReportTable, colours: list[str], stacked: bool) -> None:
    positions = range(len(table.categories))
    for i, (name, values) in enumerate(table.series):
        points = [(p, v) for p, v in zip(positions, values, strict=True) if v is not None]
        axis.plot([p for p, _ in points], [v for _, v in points], marker="o", markersize=3.5, linewidth=1.8,
                  label=name, color=colours[i])
    axis.set_xticks(list(positions), table.categories)
    axis.set_ylim(bottom=0)


def _funnel(axis, table: ReportTable, colours: list[str], stacked: bool) -> None:
    values = [value or 0.0 for value in table.series[0][1]]
    positions = range(len(values))
    axis.barh(list(positions), values, 0.7, color=PALETTE[0])
    axis.set_yticks(list(positions), table.categories)
    axis.invert_yaxis()
    for position, value, row in zip(positions, values, table.rows, strict=True):
        note = f"{row[1]}" + (f"  ({row[2]} of previous)" if position else "")
        axis.annotate(note, (value, position), xytext=(6, 0), textcoords="offset points", va="center",
                      color=INK, fontsize=9)
    axis.set_xlim(0, max(values or [1]) * 1.45 or 1)


def _tick(value: float, style: str) -> str:
    if style == "gbp" and abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if style == "gbp" and abs(value) >= 10_000:
        return f"£{value / 1000:,.0f}k"
    if style == "pct":
        return f"{value:.0%}"
    return format_value(value, style)

