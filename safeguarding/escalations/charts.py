"""Server-rendered SVG bar charts: no script, no inline styles (the CSP forbids both); colours
and sizes are SVG presentation attributes. Each chart carries a title and a text alternative,
and the page shows the same figures in a data table beside it."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# GOV.UK Design System colours.
PALETTE = ("#1d70b8", "#00703c", "#505a5f", "#f47738", "#4c2c92", "#d4351c")

WIDTH = 460  # drawn at about its real size in half of a GOV.UK page
LABEL_HEIGHT = 22  # the row's label sits above its bar, so long labels never squeeze the bars
BAR_HEIGHT = 26
ROW_GAP = 18
LEGEND_ROW = 26
RIGHT_ROOM = 48  # room for the total after the longest bar


@dataclass
class Segment:
    series: str
    value: int
    x: float
    width: float
    fill: str


@dataclass
class Bar:
    label: str
    total: int
    label_y: float
    bar_y: float
    total_x: float
    segments: list[Segment] = field(default_factory=list)


@dataclass
class LegendItem:
    series: str
    fill: str
    x: float
    y: float


@dataclass
class Tick:
    value: int
    x: float


@dataclass
class BarChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    bar_height: int
    plot_top: float
    plot_bottom: float
    bars: list[Bar]
    legend: list[LegendItem]
    ticks: list[Tick]


def _step(maximum: int) -> int:
    """A round tick step giving about five ticks."""
    if maximum <= 5:
        return 1
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if raw <= multiple * magnitude:
            return int(multiple * magnitude)
    return int(10 * magnitude)


def stacked_bar_chart(
    *,
    chart_id: str,
    title: str,
    series: list[str],
    rows: list[tuple[str, list[int]]],
    unit: tuple[str, str],
) -> BarChart:
    """A horizontal bar for each row, split into one segment per series (zeros left out).

    `unit` is what is counted, singular and plural, for the text alternative.
    """
    maximum = max((sum(values) for _, values in rows), default=0)
    step = _step(maximum)
    scale_max = max(step, math.ceil(maximum / step) * step) if maximum else 1
    plot_width = WIDTH - RIGHT_ROOM
    per_unit = plot_width / scale_max
    legend = []
    x, legend_y = 0.0, 8.0
    for name, fill in zip(series, PALETTE, strict=False):
        width = 22 + 8.5 * len(name) + 18
        if x and x + width > WIDTH:
            x, legend_y = 0.0, legend_y + LEGEND_ROW
        legend.append(LegendItem(name, fill, x, legend_y))
        x += width
    top = legend_y + LEGEND_ROW + 10 if len(series) > 1 else 10.0
    bars = []
    y = top
    for label, values in rows:
        x = 0.0
        segments = []
        for name, value, fill in zip(series, values, PALETTE, strict=False):
            if value:
                segments.append(Segment(name, value, x, value * per_unit, fill))
                x += value * per_unit
        total = sum(values)
        bars.append(
            Bar(
                label=label,
                total=total,
                label_y=y + 15,
                bar_y=y + LABEL_HEIGHT,
                total_x=x + 6,
                segments=segments,
            )
        )
        y += LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
    plot_bottom = y - ROW_GAP + 6
    ticks = [Tick(v, v * per_unit) for v in range(0, scale_max + 1, step)]
    description = "; ".join(
        f"{label}: {sum(values)} {unit[0] if sum(values) == 1 else unit[1]}"
        + (
            " ("
            + ", ".join(f"{name.lower()} {v}" for name, v in zip(series, values, strict=False))
            + ")"
            if len(series) > 1
            else ""
        )
        for label, values in rows
    )
    return BarChart(
        chart_id=chart_id,
        title=title,
        description=(description + ".") if rows else "No figures to show.",
        width=WIDTH,
        height=int(plot_bottom + 24),
        bar_height=BAR_HEIGHT,
        plot_top=top - 6,
        plot_bottom=plot_bottom,
        bars=bars,
        legend=legend if len(series) > 1 else [],
        ticks=ticks,
    )
