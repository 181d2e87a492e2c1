"""Uploaded files: refused before the body is read past the limit, accepted only when the whole content is
what it claims to be, and served back under a safe name derived from the type.

- LimitedUploadHandler (first in FILE_UPLOAD_HANDLERS) stops reading the request as soon as its
  Content-Length, or the file bytes received so far, exceed settings.UPLOAD_MAX_BYTES; the fields before
  the file (the CSRF token among them) are kept, the view says "too large" (upload_refused()).
- file_type(data) checks the whole content: a PDF must end with %%EOF, a PNG must be a valid chain of
  chunks with correct CRCs from IHDR to IEND, a JPEG a valid chain of segments from SOI to EOI; none may
  carry HTML in the part a browser sniffs. A file that merely starts with the right magic bytes is refused.
- serve_private_file() gives a file back with a name from its type (never the original extension),
  `attachment` for anything not PDF or image, nosniff and no-store.
"""

import re
import struct
import zlib

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse
from django.utils.translation import gettext as _

# Room for the other fields of the form (CSRF token, title …) next to the file.
FORM_OVERHEAD = 64 * 1024

SAFE_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
INLINE_TYPES = set(SAFE_TYPES)
# What a browser's sniffer would take for a web page or script (it looks at the first 512 bytes).
HTML_MARKERS = re.compile(rb"<\s*(!doctype|html|head|body|script|iframe|svg|object|embed|meta|a\s|img|style|\?xml)",
                          re.IGNORECASE)
SNIFF_WINDOW = 1024


class LimitedUploadHandler(FileUploadHandler):
    """Refuses an upload larger than settings.UPLOAD_MAX_BYTES without reading the rest of the body."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.too_large = content_length > settings.UPLOAD_MAX_BYTES + FORM_OVERHEAD
        self.received = 0
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if self.too_large:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        if self.request is not None:
            self.request.upload_refused = True
        raise StopUpload(connection_reset=True)


def upload_refused(request):
    """The message to show when LimitedUploadHandler stopped this request's upload, else ""."""
    if not getattr(request, "upload_refused", False):
        return ""
    return _("Berkas terlalu besar. Ukuran maksimal %(max)s MB.") % {"max": f"{settings.UPLOAD_MAX_BYTES / 1048576:g}"}


# --- content -------------------------------------------------------------------------------------------


def _no_html(data):
    return not HTML_MARKERS.search(data[:SNIFF_WINDOW])


def _is_pdf(data):
    if not data.startswith(b"%PDF-") or not _no_html(data):
        return False
    tail = data[-1024:].rstrip(b"\r\n\t \x00")
    return tail.endswith(b"%%EOF")


def _is_png(data):
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return False
    pos, first = 8, True
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        end = pos + 12 + length
        if end > len(data) or (first and kind != b"IHDR"):
            return False
        body = data[pos + 4:pos + 8 + length]
        if zlib.crc32(body) & 0xFFFFFFFF != struct.unpack(">I", data[pos + 8 + length:end])[0]:
            return False
        if kind == b"IEND":
            return end == len(data)
        pos, first = end, False
    return False


def _is_jpeg(data):
    if not data.startswith(b"\xff\xd8") or not _no_html(data):
        return False
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return False
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if not (0xC0 <= marker <= 0xFE) or marker in (0xD8, 0xD9) or 0xD0 <= marker <= 0xD7:
            return False
        length = struct.unpack(">H", data[pos + 2:pos + 4])[0]
        if length < 2 or pos + 2 + length > len(data):
            return False
        pos += 2 + length
        if marker == 0xDA:  # start of scan: entropy-coded data up to the end-of-image marker
            end = data.rfind(b"\xff\xd9")
            return end >= pos and not data[end + 2:].strip(b"\x00\r\n")
    return False


CHECKS = [("application/pdf", _is_pdf), ("image/png", _is_png), ("image/jpeg", _is_jpeg)]


def file_type(data):
    """(content type, extension) when the whole of `data` is a PDF, PNG or JPEG, else (None, None)."""
    for content_type, check in CHECKS:
        if check(data):
            return content_type, SAFE_TYPES[content_type]
    return None, None


# --- serving -----------------------------------------------------------------------------------------------


def safe_name(stem, content_type):
    """A download name from our own words and the type's extension: never the uploader's extension."""
    stem = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in str(stem))
    stem = "-".join(p for p in stem.split("-") if p)[:80] or "berkas"
    return stem + SAFE_TYPES.get(content_type, ".bin")


def serve_private_file(fileobj, content_type, stem):
    """A private file as a response: safe name, inline only for PDF/images, nosniff, never cached."""
    content_type = content_type if content_type in SAFE_TYPES else "application/octet-stream"
    response = FileResponse(fileobj, content_type=content_type)
    disposition = "inline" if content_type in INLINE_TYPES else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{safe_name(stem, content_type)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    if content_type == "application/pdf":
        response._csp_config = {}  # Chromium's PDF viewer is an embedded object that the page CSP would block
    return response
