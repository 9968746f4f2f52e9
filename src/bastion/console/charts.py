"""Small charts as inline SVG, drawn on the server: no chart library, no script, nothing for the
CSP to allow. Labels sit on the chart itself (what is counted, the span, the peak), so a reader
needs no legend."""

from __future__ import annotations

from markupsafe import Markup, escape


def bars(total: list[int], refused: list[int], *, caption: str, width: int = 1120, height: int = 130) -> Markup:
    """Requests per bucket as grey bars with the refused part in red on top of each."""
    count = max(1, len(total))
    peak = max([*total, 1])
    plot_top, plot_bottom = 18, height - 16
    span = plot_bottom - plot_top
    step = width / count
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(caption)}"><title>{escape(caption)}</title>',
        f'<text x="0" y="12" class="chart-caption">{escape(caption)} (peak {peak})</text>',
        f'<line x1="0" y1="{plot_bottom}" x2="{width}" y2="{plot_bottom}" class="chart-axis"/>',
    ]
    for index, value in enumerate(total):
        if not value:
            continue
        x = index * step
        h = value / peak * span
        parts.append(
            f'<rect x="{x:.1f}" y="{plot_bottom - h:.1f}" width="{max(step - 1, 1):.1f}" height="{h:.1f}" '
            f'class="bar-total"><title>{value} requests, {refused[index]} refused</title></rect>'
        )
        if refused[index]:
            hr = refused[index] / peak * span
            parts.append(
                f'<rect x="{x:.1f}" y="{plot_bottom - hr:.1f}" width="{max(step - 1, 1):.1f}" height="{hr:.1f}" '
                'class="bar-refused"/>'
            )
    parts.append(f'<text x="0" y="{height - 2}" class="chart-label">older</text>')
    parts.append(f'<text x="{width}" y="{height - 2}" text-anchor="end" class="chart-label">now</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value inserted above is a number or escaped


def hbars(rows: list[tuple[str, int]], *, caption: str, width: int = 540) -> Markup:
    """A horizontal bar per (label, count), longest first, the count written at the bar's end."""
    if not rows:
        return Markup(f'<p class="empty">{escape(caption)}: none</p>')  # noqa: S704 - escaped
    peak = max(n for _, n in rows) or 1
    line = 20
    height = 18 + line * len(rows)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(caption)}"><title>{escape(caption)}</title>',
        f'<text x="0" y="12" class="chart-caption">{escape(caption)}</text>',
    ]
    label_width = width * 0.45
    for index, (label, n) in enumerate(rows):
        y = 18 + index * line
        w = (width - label_width - 40) * n / peak
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(label[:40])}</text>')
        parts.append(
            f'<rect x="{label_width:.1f}" y="{y + 3}" width="{max(w, 1):.1f}" height="13" class="bar-refused"/>'
        )
        parts.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 13}" class="chart-label">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value inserted above is a number or escaped
