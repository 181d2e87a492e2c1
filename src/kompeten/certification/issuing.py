"""The press of a meeting's issue job (pleno._issue_meeting → services.issue_certificate_batch): for each
certificate just numbered, what its signed credential and signed PDF/A are made from — read here, in the job's
process, from the database — handed to press.Press, which makes them in worker processes (or, with one process,
here). What is the same for the whole job is set up once (the keys, the LSP head's name, the Typst compiler of
each worker); what could change while a long job runs (the LSP's profile, a scheme's units) once per batch."""

import datetime as dt
import uuid

from django.conf import settings
from django.utils import timezone

from kompeten.catalog.selectors import scheme_units
from kompeten.core.lsp import lsp_profile

from . import credentials, press, rendering


def proof_time():
    """The proof's `created`, as dataintegrity writes it (the job's clock, not a worker's)."""
    return timezone.now().astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class JobPress:
    """submit(cert, status_index) → a future of press.Maker's result for this certificate."""

    def __init__(self, *, processes=1):
        self.renderer = rendering.CertificateRenderer()
        config = {**rendering.press_config(self.renderer.key), **credentials.press_config()}
        self.press = press.Press(config, processes=processes)
        self.refresh()

    def refresh(self):
        """At the start of each batch."""
        self.lsp = lsp_profile()
        self._units = {}

    def _scheme_units(self, scheme):
        if scheme.pk not in self._units:
            self._units[scheme.pk] = scheme_units(scheme)
        return self._units[scheme.pk]

    def submit(self, cert, status_index):
        units = self._scheme_units(cert.scheme)
        photo, photo_format = rendering.photo_bytes(cert.case)
        item = {
            "credential": credentials.build_credential(cert, credential_id=f"urn:uuid:{uuid.uuid4()}",
                                                       status_index=status_index, units=units),
            "created": proof_time(),
            "data": rendering.text_data(cert, lsp=self.lsp, head_name=self.renderer.head_name,
                                        units=[{"code": u.code, "title": u.title} for u in units],
                                        photo_format=photo_format),
            "photo": photo,
            "lsp": {"lsp_name": self.lsp.name, "lsp_license": self.lsp.licence_number},
            "reason": f"Sertifikat kompetensi {cert.number}",
            "location": settings.SITE_URL,
        }
        return self.press.submit(item)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.press.__exit__(*exc)
