"""The LSP as a `did:web` issuer: its Ed25519 key and its DID document.

The DID comes from KOMPETEN_SITE_URL: https://lsp.example.id → did:web:lsp.example.id, whose document a
resolver fetches from https://lsp.example.id/.well-known/did.json (a port is written %3A; a path becomes
colon-separated segments and the document is then at <path>/did.json — both routes are served).

The key: KOMPETEN_CREDENTIAL_KEY names a PEM file (production); without it, a key is made on first use into
var/credential-ed25519.pem (KOMPETEN_DATA_DIR) and kept there. Changing the key makes the credentials signed
with the old one unverifiable against the DID document, so production keeps its key with its backups.
"""

import os
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .dataintegrity import DataIntegrityError, public_key_multibase

DEFAULT_KEY_NAME = "credential-ed25519.pem"

_lock = threading.Lock()
_keys = {}  # path → private key (a key file is read once per process)


def key_path() -> Path:
    configured = getattr(settings, "CREDENTIAL_KEY_FILE", "")
    return Path(configured) if configured else Path(settings.DATA_DIR) / DEFAULT_KEY_NAME


def _read_key(path: Path) -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise ImproperlyConfigured(f"Cannot read the credential signing key {path}: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"The credential signing key {path} is not an Ed25519 key.")
    return key


def _create_key(path: Path) -> None:
    """Write a new key, once: two processes starting together end up with the same file."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    try:
        os.link(tmp, path)  # fails if another process was first: then its key is the key
    except FileExistsError:
        pass
    finally:
        tmp.unlink()


def signing_key() -> Ed25519PrivateKey:
    path = key_path()
    with _lock:
        if path not in _keys:
            if not path.exists():
                if getattr(settings, "CREDENTIAL_KEY_FILE", ""):
                    raise ImproperlyConfigured(f"KOMPETEN_CREDENTIAL_KEY names {path}, which does not exist.")
                _create_key(path)
            _keys[path] = _read_key(path)
        return _keys[path]


def issuer_did() -> str:
    parts = urlsplit(settings.SITE_URL)
    if not parts.hostname:
        raise ImproperlyConfigured("KOMPETEN_SITE_URL must be an absolute URL (https://host).")
    host = parts.hostname + (f":{parts.port}" if parts.port else "")
    segments = [quote(s, safe="") for s in parts.path.split("/") if s]
    return "did:web:" + ":".join([quote(host, safe="")] + segments)


def public_key_id() -> str:
    return public_key_multibase(signing_key().public_key())


def verification_method() -> str:
    """The key's id in the DID document: did:web:host#z6Mk… (a new key gets a new id)."""
    return f"{issuer_did()}#{public_key_id()}"


def did_document() -> dict:
    did = issuer_did()
    method = verification_method()
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [{"id": method, "type": "Multikey", "controller": did,
                                "publicKeyMultibase": public_key_id()}],
        "assertionMethod": [method],
    }


def resolve_own_key(method_id: str):
    """The public key of one of our verification methods (for verifying what we signed)."""
    if method_id != verification_method():
        raise DataIntegrityError(f"unknown verification method: {method_id}")
    return signing_key().public_key()
