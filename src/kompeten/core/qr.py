"""QR codes as SVG for the PDFs. No Django here: a worker process that renders certificates without it imports
this too (certification/press.py)."""

import io

import segno


def qr_svg(text):
    """A QR code as SVG text, to embed in a PDF (`image(bytes(data.qr), format: "svg")`)."""
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="svg", border=1, scale=4)
    return buf.getvalue().decode()
