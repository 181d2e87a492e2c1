"""Reading a rendered PDF's text with its place on the page (pypdf), so a test can say which row and column a
printed tick stands in — not only that it is somewhere in the file."""

import io

import pypdf


def pdf_words(pdf):
    """[(page, x, y, text)] of every non-blank text run of `pdf` (bytes); y grows upwards (PDF points)."""
    out = []
    for n, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages):
        def visit(text, cm, tm, _font, _size, n=n):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                out.append((n, x, y, text.strip()))
        page.extract_text(visitor_text=visit)
    return out


def pdf_text(pdf):
    """The whole text of `pdf` (bytes), pages joined."""
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def row_of(words, label, *, page=None):
    """The (page, y) of the first run that contains `label`."""
    for p, _x, y, text in words:
        if label in text and (page is None or p == page):
            return p, y
    raise AssertionError(f"{label!r} not printed")


def ticks_in_row(words, page, y, *, tol=4.0):
    """The x of every tick (✓) printed on the row at (page, y)."""
    return [x for p, x, yy, text in words if p == page and abs(yy - y) <= tol and text == "✓"]
