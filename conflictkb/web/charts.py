"""Charts drawn on the server as SVG geometry: a template turns a ``BarChart`` into <rect> elements,
so a chart needs no JavaScript and no inline style (the Content-Security-Policy allows neither)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

WIDTH = 720
HEIGHT = 180
TOP = 16
BOTTOM = 24  # room for the year labels
LEFT = 36  # room for the value labels


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: int
    href: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class BarChart:
    width: int
    height: int
    baseline: float
    left: int
    bars: list[Bar]
    ticks: list[Tick]  # labels under the bars
    top_value: int
    top_y: float
    total: int


def year_chart(counts: list[tuple[int, int]], href: Callable[[int], str]) -> BarChart | None:
    """Bars of events per year, each linking to ``href(year)``; None when there is nothing to draw."""
    if not counts or not any(n for _, n in counts):
        return None
    top_value = max(n for _, n in counts)
    plot_width = WIDTH - LEFT - 8
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_width / len(counts)
    gap = min(2.0, step * 0.2)
    baseline = float(HEIGHT - BOTTOM)
    bars = []
    for i, (year, n) in enumerate(counts):
        h = plot_height * n / top_value if top_value else 0.0
        if n and h < 1.5:
            h = 1.5  # a year with events always shows
        bars.append(
            Bar(
                x=round(LEFT + i * step + gap / 2, 2),
                y=round(baseline - h, 2),
                width=round(max(step - gap, 1.0), 2),
                height=round(h, 2),
                label=str(year),
                value=n,
                href=href(year),
            )
        )
    every = max(1, round(len(counts) / 12))
    ticks = [
        Tick(round(LEFT + i * step + step / 2, 2), str(year)) for i, (year, _) in enumerate(counts) if i % every == 0
    ]
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        baseline=baseline,
        left=LEFT,
        bars=bars,
        ticks=ticks,
        top_value=top_value,
        top_y=float(TOP),
        total=sum(n for _, n in counts),
    )
