"""The CPU-only stage of issuing a certificate: from data read beforehand, its signed Open Badges credential and its
signed PDF/A — no database, no Django settings, nothing but the item and the keys it is given.

So a meeting's issue job can run this stage in worker processes (both cores) while its own process does the
numbering and the writes (services.issue_certificate_batch). `Press(config, processes=n)`: n = 1 makes each item
at once in this process, n > 1 in a pool of n processes started through a fork server (a fresh interpreter that
imported only this module: never a fork of a process whose Typst already started its thread pool, which would
hang). They inherit no database connection (a fresh interpreter) and open none: this module imports no Django. A failed item raises from its future; the pool is shut down by `close()` (or the `with` block:
after a failure its workers are ended at once).

The same functions make the PDF of a single issue or a download in the web process (rendering.py, signing.py),
so an item comes out the same whichever way it is made.
"""

import asyncio
import concurrent.futures
import hashlib
import io
import json
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

import typst
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import pkcs7
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

from kompeten.core.qr import qr_svg

from .dataintegrity import sign

BYTES_RESERVED = 8192  # room for the CMS container (hex-encoded twice the size); no dry run needed
SIGNATURE_FIELD = "TandaTanganLSP"


# --- pieces, also used one at a time by rendering.py and signing.py ------------------------------------------


def typst_inputs(data, lsp):
    """sys.inputs of a PDF template: the LSP's name and licence (`lsp`) and the document's data, as JSON."""
    return {"data": json.dumps({**lsp, **data}, default=str, ensure_ascii=False)}


def fingerprint(data, *, templates_digest, pdf_standards, key_fingerprint):
    """What a signed certificate PDF depends on: its data, the templates, the PDF standard and the signing
    certificate (rendering.py stores it with the PDF and serves the stored copy while it is the same)."""
    text = json.dumps(data, sort_keys=True, default=str, ensure_ascii=False)
    parts = [text, templates_digest, ",".join(pdf_standards), key_fingerprint]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class PdfSigningKey:
    """The key, the signer's certificate and its chain, ready to sign."""

    def __init__(self, key, certs):
        self.key = key
        self.cert = certs[0]
        self.chain = certs[1:]
        # Names the signer in fingerprints of signed PDFs (rendering.py): a new certificate means signing anew.
        self.fingerprint = self.cert.fingerprint(hashes.SHA256()).hex()
        self.hanko_signer = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER)),
            signing_key=None, cert_registry=None)

    @property
    def subject(self):
        return self.cert.subject.rfc4514_string()

    def to_pem(self):
        """(key, certificates) as PEM bytes: how a worker process receives the key."""
        key = self.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                     serialization.NoEncryption())
        return key, b"".join(c.public_bytes(serialization.Encoding.PEM) for c in [self.cert, *self.chain])

    @classmethod
    def from_pem(cls, key_pem, certs_pem):
        return cls(serialization.load_pem_private_key(key_pem, password=None),
                   x509.load_pem_x509_certificates(certs_pem))


def _run(coroutine):
    """asyncio.run(coroutine), also when this thread already runs an event loop (a caller inside one — Playwright's
    sync API in the browser tests keeps one running while the demo is loaded): then in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sign_pdf(key, pdf, *, reason="", location="", name=None):
    """`pdf` (bytes) with `key`'s digital signature over the whole document (PDF/A-2b allows the incremental
    update pyHanko writes). pyHanko lays out the field and the byte range; the CMS container is made by OpenSSL
    through `cryptography` over exactly the signed byte ranges (~10 times faster than in pure Python)."""
    meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, md_algorithm="sha256", reason=reason or None,
                                        location=location or None, name=name)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    prepared, _tbs, output = _run(signers.PdfSigner(meta, signer=key.hanko_signer)
                                  .async_digest_doc_for_signing(writer, bytes_reserved=BYTES_RESERVED))
    buf = output.getbuffer()
    signed_bytes = bytes(buf[:prepared.reserved_region_start]) + bytes(buf[prepared.reserved_region_end:])
    del buf
    builder = pkcs7.PKCS7SignatureBuilder().set_data(signed_bytes).add_signer(key.cert, key.key, hashes.SHA256())
    for extra in key.chain:
        builder = builder.add_certificate(extra)
    der = builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature,
                                                    pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCapabilities])
    _run(PdfTBSDocument.async_finish_signing(output, prepared, cms.ContentInfo.load(der)))
    return output.getvalue()


# --- one certificate: the signed credential and the signed PDF -----------------------------------------------


class Maker:
    """Makes certificates from items, with what is the same for all of them set up once: the keys, and one Typst
    compiler (fonts read once; what does not change between documents laid out once).

    config: template, root (paths), pdf_standards, templates_digest, pdf_key (PEM key, PEM certificates),
    credential_key (the Ed25519 private key, raw 32 bytes), verification_method.
    item: credential (the unsigned credential), created (the proof's time, as dataintegrity writes it), data (the PDF's data without "qr" and "photo"), photo (bytes),
    lsp (lsp_name, lsp_license), reason, location.
    Returns: credential (the signed credential as stored: JSON text), pdf (bytes), fingerprint."""

    def __init__(self, config):
        self.config = config
        self.pdf_key = PdfSigningKey.from_pem(*config["pdf_key"])
        self.credential_key = Ed25519PrivateKey.from_private_bytes(config["credential_key"])
        self.compiler = typst.Compiler(config["template"], root=config["root"])

    def make(self, item):
        config = self.config
        signed = sign(item["credential"], self.credential_key, verification_method=config["verification_method"],
                      created=item.get("created"))
        data = {**item["data"], "qr": qr_svg(item["data"]["verify_url"]), "photo": list(item["photo"])}
        pdf = self.compiler.compile(format="pdf", sys_inputs=typst_inputs(data, item["lsp"]),
                                    pdf_standards=config["pdf_standards"])
        pdf = sign_pdf(self.pdf_key, pdf, reason=item["reason"], location=item["location"])
        return {"credential": json.dumps(signed, ensure_ascii=False, indent=2), "pdf": pdf,
                "fingerprint": fingerprint(data, templates_digest=config["templates_digest"],
                                           pdf_standards=config["pdf_standards"],
                                           key_fingerprint=self.pdf_key.fingerprint)}


_maker = None  # in a worker process: its Maker, made once by _start


def _start(config, job_pid):
    global _maker
    # A stop of the task worker (systemd sends SIGTERM to every process of the service; Ctrl+C SIGINT to the
    # terminal's) lets it finish its task: the workers go on until the job closes the pool — or, should the job's
    # process be killed outright, end within seconds when it is gone.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_without, args=(job_pid,), daemon=True).start()
    _maker = Maker(config)


def _end_without(pid):
    while True:
        time.sleep(2)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            os._exit(1)
        except PermissionError:  # a new process of another user under the same number: the job's is gone
            os._exit(1)


def _make(item):
    return _maker.make(item)


class Press:
    """Makes certificates (Maker) in this process (processes=1) or in a pool of processes. submit(item) returns
    a future; its result() is the made certificate or raises what went wrong making it."""

    def __init__(self, config, *, processes=1):
        self.processes = max(1, int(processes))
        self._config = config
        self._maker = None
        self._pool = None
        if self.processes > 1:
            context = multiprocessing.get_context("forkserver")
            # The fork server imports only this module (not the caller's __main__, e.g. a script without a
            # main guard), so each worker starts from a clean interpreter with these imports done.
            context.set_forkserver_preload([__name__])
            self._pool = ProcessPoolExecutor(self.processes, mp_context=context, initializer=_start,
                                             initargs=(config, os.getpid()))

    def submit(self, item):
        if self._pool is not None:
            return self._pool.submit(_make, item)
        future = Future()
        try:
            if self._maker is None:
                self._maker = Maker(self._config)
            future.set_result(self._maker.make(item))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def close(self, *, stop=False):
        """Stop the workers: wait for those at work (items not started are cancelled) or, `stop` (after a failure:
        one of them may hang), end them at once."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            if stop:  # Python 3.14 has pool.terminate_workers() for this
                for process in list((getattr(pool, "_processes", None) or {}).values()):
                    process.kill()
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        self.close(stop=exc_type is not None)
