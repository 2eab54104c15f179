"""Bar charts for report documents, drawn with matplotlib (Agg backend, the fonts on the
machine; nothing is downloaded). PNG for Word and PDF (drawn once, shared by both), SVG for
HTML pages.

A chart never stands alone: renderers put its alt text on the image (``docPr descr`` in
Word, ``<title>``/``<desc>`` and ``role="img"`` in SVG) and its data table beside it.
Suppressed values are drawn as no bar, labelled with the suppression symbol.
"""

from __future__ import annotations

import contextvars
import html
import io
import re
import textwrap
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402 - after choosing the backend
from matplotlib.ticker import MaxNLocator  # noqa: E402

from safeguarding.reports.document import Chart, Suppressed  # noqa: E402

BAR_COLOUR = "#1d70b8"  # GOV.UK blue; dark enough against white for the bars' meaning
TEXT_COLOUR = "#0b0c0c"


@lru_cache(maxsize=1)
def _rc() -> Any:
    return {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.fonttype": "none",  # text stays text in SVG (searchable, selectable)
        "svg.hashsalt": "report",  # stable ids, so the same data gives the same file
        "axes.edgecolor": "#505a5f",
        "text.color": TEXT_COLOUR,
        "axes.labelcolor": TEXT_COLOUR,
        "xtick.color": TEXT_COLOUR,
        "ytick.color": TEXT_COLOUR,
    }


@lru_cache(maxsize=32)
def _figure(chart: Chart) -> Figure:
    """The chart drawn once (cached), then saved as PNG for Word and PDF and SVG for HTML."""
    with matplotlib.rc_context(_rc()):
        n = len(chart.categories)
        if chart.horizontal:
            fig = Figure(figsize=(6.3, 0.32 * n + 0.9))
        else:
            fig = Figure(figsize=(6.3, 2.6))
        ax = fig.add_subplot()
        values = [0 if isinstance(v, Suppressed) else v for v in chart.values]
        labels = [textwrap.fill(c, 28 if chart.horizontal else 16) for c in chart.categories]
        positions = list(range(n))
        if chart.horizontal:
            bars = ax.barh(positions, values, color=BAR_COLOUR)
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_xlabel(chart.value_label)
        else:
            bars = ax.bar(positions, values, color=BAR_COLOUR, width=0.6)
            ax.set_xticks(positions, labels)
            ax.set_ylabel(chart.value_label)
        texts = [str(v) if isinstance(v, Suppressed) else f"{v:,}" for v in chart.values]
        ax.bar_label(bars, labels=texts, padding=2, fontsize=8)
        top = max(values, default=0) or 1
        if chart.horizontal:
            ax.set_xlim(0, top * 1.12 + 0.5)
        else:
            ax.set_ylim(0, top * 1.15 + 0.5)
        ax.spines[["top", "right"]].set_visible(False)
        axis = ax.xaxis if chart.horizontal else ax.yaxis
        axis.set_major_locator(MaxNLocator(integer=True))  # counts: whole numbers only
        # Margins by hand: tight_layout draws the figure twice, and charts are drawn on the
        # report's critical path.
        if chart.horizontal:
            longest = max((len(line) for c in labels for line in c.split("\n")), default=4)
            height = fig.get_figheight()
            fig.subplots_adjust(
                left=min(0.5, 0.04 + longest * 0.0105),
                right=0.97,
                top=1 - 0.15 / height,
                bottom=0.55 / height,
            )
        else:
            lines = max((c.count("\n") + 1 for c in labels), default=1)
            fig.subplots_adjust(left=0.1, right=0.98, top=0.93, bottom=0.1 + 0.055 * lines)
        return fig


# 150 dpi: sharp enough in print at the width of an A4 text block (about 7 inches).
PNG_DPI = 150

# Where `chart_png` looks first: PNGs drawn by another process (see `rendering.py`).
_png_source: contextvars.ContextVar[Callable[[Chart], bytes | None] | None] = (
    contextvars.ContextVar("chart_png_source", default=None)
)


@contextmanager
def png_source(source: Callable[[Chart], bytes | None]) -> Iterator[None]:
    """Within the block, `chart_png` asks ``source`` first (``None``: draw it here)."""
    token = _png_source.set(source)
    try:
        yield
    finally:
        _png_source.reset(token)


def chart_png(chart: Chart, *, dpi: int = PNG_DPI) -> bytes:
    """The chart as a PNG (for Word and PDF): from the current source if it has it, else drawn
    here (cached: the same chart drawn twice gives the same bytes)."""
    source = _png_source.get()
    if source is not None and dpi == PNG_DPI:
        png = source(chart)
        if png is not None:
            return png
    return _draw_png(chart, dpi)


@lru_cache(maxsize=64)
def _draw_png(chart: Chart, dpi: int) -> bytes:
    out = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        _figure(chart).savefig(out, format="png", dpi=dpi)
    return out.getvalue()


def clear_caches() -> None:
    """Forget every drawn chart (the benchmark draws them afresh each run)."""
    _draw_png.cache_clear()
    chart_svg.cache_clear()
    _figure.cache_clear()


_SVG_OPEN = re.compile(r"<svg\b[^>]*>")
_ID = re.compile(r'\bid="([^"]+)"')
_REF = re.compile(r'(url\(|href=")#([^)"]+)')


@lru_cache(maxsize=64)
def chart_svg(chart: Chart, *, element_id: str = "chart") -> str:
    """The chart as inline SVG markup with ``role="img"``, a ``<title>`` and a ``<desc>``
    (the alt text), ready to place in HTML. ``element_id`` must be unique on the page."""
    out = io.StringIO()
    with matplotlib.rc_context(_rc()):
        _figure(chart).savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    # matplotlib numbers its element ids the same way in every chart: prefix them so that
    # several charts can share one page.
    svg = _ID.sub(lambda m: f'id="{element_id}-{m.group(1)}"', svg)
    svg = _REF.sub(lambda m: f"{m.group(1)}#{element_id}-{m.group(2)}", svg)
    title_id, desc_id = f"{element_id}-title", f"{element_id}-desc"
    opening = _SVG_OPEN.search(svg)
    assert opening is not None  # noqa: S101 - matplotlib always writes one
    tag = opening.group(0)
    new_tag = tag[:-1].rstrip("/") + (
        f' role="img" aria-labelledby="{title_id} {desc_id}" class="report-chart">'
    )
    accessible = (
        f'<title id="{title_id}">{html.escape(chart.title)}</title>'
        f'<desc id="{desc_id}">{html.escape(chart.alt_text)}</desc>'
    )
    return svg.replace(tag, new_tag + accessible, 1)
