"""Charts drawn by the app as inline SVG (no script, no external service): horizontal bars whose label sits above
the bar, so a 390 px phone reads them as well as a desktop; the SVG scales to its box (viewBox, width 100%).
Each chart carries its numbers as text too (role="img" with a label; the page shows the table beside it)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 360
ROW = 38
BAR = 14
COLOURS = {"primary": "#0d6efd", "success": "#198754", "warning": "#fd7e14", "danger": "#dc3545",
           "secondary": "#6c757d", "info": "#0aa2c0"}


def _shorten(text, limit=48):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(rows, *, title, maximum=None, suffix="", colour="primary", note_key=None):
    """rows: [{"label", "value", note_key?}] → an SVG of horizontal bars. `value` None draws no bar ("—").
    `maximum` fixes the scale (100 for percentages); otherwise the largest value."""
    values = [r["value"] for r in rows if r.get("value") is not None]
    top = maximum or (max(values) if values else 0) or 1
    height = max(ROW * len(rows), ROW) + 6
    fill = COLOURS.get(colour, colour)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
             f'aria-label="{escape(title)}" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{escape(title)}</title>"]
    if not rows:
        parts.append('<text x="0" y="20" font-size="13" fill="#6c757d">—</text>')
    for i, r in enumerate(rows):
        y = i * ROW
        value = r.get("value")
        shown = "—" if value is None else f"{value:g}{suffix}"
        if note_key and r.get(note_key):
            shown += f" ({r[note_key]})"
        parts.append(f'<text x="0" y="{y + 13}" font-size="12" fill="#212529">{escape(_shorten(r["label"]))}</text>')
        track = WIDTH - 96
        parts.append(f'<rect x="0" y="{y + 18}" width="{track}" height="{BAR}" rx="3" fill="#e9ecef"/>')
        if value:
            w = max(2, round(track * min(value, top) / top, 1))
            parts.append(f'<rect x="0" y="{y + 18}" width="{w}" height="{BAR}" rx="3" fill="{fill}"/>')
        parts.append(f'<text x="{track + 6}" y="{y + 30}" font-size="12" font-weight="600" '
                     f'fill="#212529">{escape(shown)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
