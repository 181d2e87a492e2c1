"""The LSP's digital signature on certificate PDFs (PDF/A-2b, adbe.pkcs7.detached, SHA-256).

Production sets KOMPETEN_PDF_SIGNING_KEY and KOMPETEN_PDF_SIGNING_CERT (PEM files: the key, PKCS#8 unencrypted,
EC or RSA; the X.509 certificate, its chain may follow in the same file). Without them a self-signed pair in the
LSP's name is made on first use into var/pdf-signing.pem (key and certificate in one file, written once, so two
processes starting together end up with the same pair) — keep it with the backups.

pyHanko lays out the signature field and the byte range (an incremental update, which PDF/A-2b allows); the
CMS container itself is made by OpenSSL through `cryptography` over exactly the signed byte ranges. That is
~10 times faster than building the CMS in pure Python, which matters when a meeting's certificates are issued
in one job.
"""

import asyncio
import datetime as dt
import io
import os
import threading
from pathlib import Path

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

from kompeten.core.lsp import lsp_profile

DEFAULT_FILE_NAME = "pdf-signing.pem"
BYTES_RESERVED = 8192  # room for the CMS container (hex-encoded twice the size); no dry run needed
_lock = threading.Lock()
_loaded = {}


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


def _paths():
    key_file = getattr(settings, "PDF_SIGNING_KEY_FILE", "")
    cert_file = getattr(settings, "PDF_SIGNING_CERT_FILE", "")
    if bool(key_file) != bool(cert_file):
        raise ImproperlyConfigured("Set both KOMPETEN_PDF_SIGNING_KEY and KOMPETEN_PDF_SIGNING_CERT, or neither.")
    if key_file:
        return Path(key_file), Path(cert_file), True
    default = Path(settings.DATA_DIR) / DEFAULT_FILE_NAME
    return default, default, False


def self_signed_pem(name):
    """A new P-256 key and a self-signed certificate (10 years) in the LSP's name, as one PEM text."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name[:64]),
                         x509.NameAttribute(NameOID.ORGANIZATION_NAME, name[:64]),
                         x509.NameAttribute(NameOID.COUNTRY_NAME, "ID")])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return (key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
            + cert.public_bytes(serialization.Encoding.PEM))


def _create(path):
    pem = self_signed_pem(lsp_profile().name)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    try:
        os.link(tmp, path)  # fails when another process was first: its pair is the pair
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def _read(key_path, cert_path):
    try:
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        certs = x509.load_pem_x509_certificates(cert_path.read_bytes())
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"Cannot read the PDF signing key/certificate {key_path}, {cert_path}: {exc}") \
            from exc
    if not isinstance(key, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        raise ImproperlyConfigured(f"The PDF signing key {key_path} must be an EC or RSA key.")
    if certs[0].public_key().public_numbers() != key.public_key().public_numbers():
        raise ImproperlyConfigured(f"The PDF signing certificate {cert_path} is not the key's certificate.")
    return PdfSigningKey(key, certs)


def signing_key():
    key_path, cert_path, configured = _paths()
    with _lock:
        cache_key = (str(key_path), str(cert_path))
        if cache_key not in _loaded:
            if not key_path.exists() or not cert_path.exists():
                if configured:
                    raise ImproperlyConfigured(f"KOMPETEN_PDF_SIGNING_KEY/CERT name {key_path} / {cert_path}, "
                                               "which do not exist.")
                _create(key_path)
            _loaded[cache_key] = _read(key_path, cert_path)
        return _loaded[cache_key]


def sign_pdf(pdf, *, reason="", location="", name=None):
    """Return `pdf` (bytes) with the LSP's digital signature over the whole document."""
    key = signing_key()
    meta = signers.PdfSignatureMetadata(field_name="TandaTanganLSP", md_algorithm="sha256", reason=reason or None,
                                        location=location or None, name=name)
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    prepared, _tbs, output = asyncio.run(signers.PdfSigner(meta, signer=key.hanko_signer)
                                         .async_digest_doc_for_signing(writer, bytes_reserved=BYTES_RESERVED))
    buf = output.getbuffer()
    signed_bytes = bytes(buf[:prepared.reserved_region_start]) + bytes(buf[prepared.reserved_region_end:])
    del buf
    builder = pkcs7.PKCS7SignatureBuilder().set_data(signed_bytes).add_signer(key.cert, key.key, hashes.SHA256())
    for extra in key.chain:
        builder = builder.add_certificate(extra)
    der = builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature,
                                                    pkcs7.PKCS7Options.Binary, pkcs7.PKCS7Options.NoCapabilities])
    PdfTBSDocument.finish_signing(output, prepared, cms.ContentInfo.load(der))
    return output.getvalue()
