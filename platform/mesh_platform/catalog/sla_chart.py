"""A product's SLA over its last nights as a small SVG, drawn as the report charts are (charts.RC): its
freshness (its newest day's age, against what the SLA allows) above its volume (new rows), each night coloured by
its verdict."""

from __future__ import annotations

import io

from .charts import GRID, INK, MUTED, RC
from .sla_history import NOT_JUDGED, SlaHistory

VERDICT_COLOURS = {"passed": "#009E73", "warned": "#E69F00", "failed": "#D55E00", NOT_JUDGED: "#94a3b8"}
VERDICT_WORDS = {"passed": "met", "warned": "warned", "failed": "breached", NOT_JUDGED: "not judged"}
FIGSIZE = (6.4, 3.2)


def sla_chart_svg(history: SlaHistory, title: str, max_hours: float | None) -> str:
    """The SVG document (text) of a product's SLA history, oldest night on the left; `max_hours`: the staleness
    its SLA allows."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    measures = list(reversed(history.measures))
    positions = list(range(len(measures)))
    colours = [VERDICT_COLOURS.get(m.status, VERDICT_COLOURS[NOT_JUDGED]) for m in measures]
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=FIGSIZE, layout="constrained")
        FigureCanvasSVG(figure)
        fresh, volume = figure.subplots(2, 1, sharex=True, height_ratios=(1, 1.4))
        ages = [(p, m.age_hours) for p, m in zip(positions, measures, strict=True) if m.age_hours is not None]
        if ages:
            fresh.plot([p for p, _ in ages], [a for _, a in ages], color=MUTED, linewidth=1.2)
            fresh.scatter([p for p, _ in ages], [a for _, a in ages], s=18, zorder=3, c=[colours[p] for p, _ in ages])
            if max_hours:
                fresh.axhline(max_hours, color=VERDICT_COLOURS["failed"], linestyle="--", linewidth=0.9)
            fresh.set_ylim(bottom=0)
        else:
            fresh.text(0.5, 0.5, "no day column measured: freshness is its last build's", transform=fresh.transAxes,
                       ha="center", va="center", color=MUTED, fontsize=8)
        fresh.set_ylabel("hours old", fontsize=8)
        new_rows = [m.new_rows or 0 for m in measures]
        volume.bar(positions, new_rows, 0.7, color=colours)
        volume.set_ylim(0, max(1, *new_rows) * 1.15)
        volume.set_ylabel("new rows", fontsize=8)
        volume.set_xticks(positions, [f"{m.measured_at:%m-%d}" for m in measures], fontsize=7,
                          rotation=45 if len(measures) > 8 else 0)
        for axis in (fresh, volume):
            axis.grid(True, axis="y", color=GRID, linewidth=0.8)
            axis.set_axisbelow(True)
            axis.tick_params(labelsize=7)
        shown = [status for status in VERDICT_COLOURS if any(m.status == status for m in measures)]
        fresh.legend(handles=[Patch(color=VERDICT_COLOURS[s], label=VERDICT_WORDS[s]) for s in shown],
                     frameon=False, fontsize=7, ncols=len(shown), loc="lower left", bbox_to_anchor=(0, 1.0))
        figure.suptitle(title, x=0.01, ha="left", color=INK, fontsize=10, fontweight="bold")
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "mesh catalog"})
    return buffer.getvalue()


def sla_chart_text(history: SlaHistory) -> str:
    """What the chart shows, in words (its alternative text)."""
    measures = history.measures
    breached = sum(m.breached for m in measures)
    latest = measures[0] if measures else None
    now = f"; newest ({latest.measured_at:%Y-%m-%d}): {VERDICT_WORDS.get(latest.status, latest.status)}" \
        if latest else ""
    return (f"SLA over the last {len(measures)} night(s): the newest day's age and the new rows each night, "
            f"{breached} breached or warned{now}")
