"""The LSP's digital signature on certificate PDFs (PDF/A-2b, adbe.pkcs7.detached, SHA-256).

Production sets KOMPETEN_PDF_SIGNING_KEY and KOMPETEN_PDF_SIGNING_CERT (PEM files: the key, PKCS#8 unencrypted,
EC or RSA; the X.509 certificate, its chain may follow in the same file). Without them a self-signed pair in the
LSP's name is made on first use into var/pdf-signing.pem (key and certificate in one file, written once, so two
processes starting together end up with the same pair) — keep it with the backups.

pyHanko lays out the signature field and the byte range (an incremental update, which PDF/A-2b allows); the
CMS container itself is made by OpenSSL through `cryptography` over exactly the signed byte ranges. That is
~10 times faster than building the CMS in pure Python, which matters when a meeting's certificates are issued
in one job. The signing itself is press.sign_pdf (no Django: the issue job's worker processes use it too).
"""

import datetime as dt
import os
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kompeten.core.lsp import lsp_profile

from . import press
from .press import PdfSigningKey

DEFAULT_FILE_NAME = "pdf-signing.pem"
_lock = threading.Lock()
_loaded = {}


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
    return press.sign_pdf(signing_key(), pdf, reason=reason, location=location, name=name)
