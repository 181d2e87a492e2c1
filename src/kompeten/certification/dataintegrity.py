"""W3C Data Integrity with the `eddsa-rdfc-2022` cryptosuite (W3C Data Integrity EdDSA Cryptosuites v1.0).

Signing: the document (without proof) and the proof configuration are canonicalised with RDFC-1.0 (pyld's
URDNA2015, the same algorithm under its released name), each hashed with SHA-256; the signature is Ed25519
over proofHash ‖ documentHash, written as multibase base58btc (`z…`). tests/certification/test_dataintegrity.py
reproduces the published test vectors of the specification byte for byte.

JSON-LD contexts are read only from the files bundled in `contexts/` (README.md there names their sources);
an unknown context is an error and nothing is ever fetched. Expansion runs in "safe mode": a property or type
that the contexts do not define is an error, never silently left out of what is signed.

This module knows nothing of certificates; credentials.py and status_list.py build the documents it signs.
"""

import copy
import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path

from cachetools import LRUCache
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from frozendict import frozendict
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"

CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
# Context URL → bundled file. The URLs are the ones credentials name in "@context".
BUNDLED_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
}

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"


class DataIntegrityError(ValueError):
    """A document that cannot be canonicalised, signed or verified (unknown context, undefined term…)."""


# --- multibase / multikey ---------------------------------------------------------------------------

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_B58_INDEX = {c: i for i, c in enumerate(_B58)}


def base58btc_encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = []
    while n:
        n, r = divmod(n, 58)
        out.append(_B58[r])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    n = 0
    for c in text:
        if c not in _B58_INDEX:
            raise DataIntegrityError(f"not base58btc: {c!r}")
        n = n * 58 + _B58_INDEX[c]
    zeros = len(text) - len(text.lstrip("1"))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big") if n else b""
    return b"\0" * zeros + body


def multibase_z(data: bytes) -> str:
    return "z" + base58btc_encode(data)


def multibase_z_decode(text: str) -> bytes:
    if not text or text[0] != "z":
        raise DataIntegrityError("multibase value must be base58btc ('z' prefix)")
    return base58btc_decode(text[1:])


ED25519_PUB_HEADER = b"\xed\x01"    # multicodec ed25519-pub
ED25519_PRIV_HEADER = b"\x80\x26"   # multicodec ed25519-priv


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    """The Multikey form of an Ed25519 public key: 'z6Mk…'."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return multibase_z(ED25519_PUB_HEADER + public_key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key_from_multibase(text: str) -> Ed25519PublicKey:
    raw = multibase_z_decode(text)
    if len(raw) != 34 or raw[:2] != ED25519_PUB_HEADER:
        raise DataIntegrityError("not an Ed25519 Multikey public key")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key_from_multibase(text: str) -> Ed25519PrivateKey:
    raw = multibase_z_decode(text)
    if len(raw) != 34 or raw[:2] != ED25519_PRIV_HEADER:
        raise DataIntegrityError("not an Ed25519 Multikey private key")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


# --- JSON-LD: an offline document loader and RDFC-1.0 ---------------------------------------------------


@cache
def _bundled(filename):
    return json.loads((CONTEXTS_DIR / filename).read_text(encoding="utf-8"))


def make_document_loader(extra=None):
    """A pyld document loader that serves only bundled contexts (plus `extra`: URL → parsed document, for
    tests) and refuses everything else. It never goes online."""
    extra = dict(extra or {})

    def load(url, options=None):
        if url in extra:
            document = extra[url]
        elif url in BUNDLED_CONTEXTS:
            document = _bundled(BUNDLED_CONTEXTS[url])
        else:
            raise jsonld.JsonLdError(f"Context not bundled, refusing to load it: {url}",
                                     "jsonld.LoadDocumentError", code="loading remote context failed")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url,
                "document": copy.deepcopy(document), "tag": "static"}

    load.resolved_contexts = LRUCache(maxsize=1024)
    return load


document_loader = make_document_loader()


def _raise_dropped(iri):
    raise DataIntegrityError(f"term not defined by the document's contexts: {iri!r}")


def _check_iris(node):
    """Safe mode for types and ids: an undefined type term or a relative id stays a relative IRI after
    expansion (no base IRI is set), which RDF would silently drop."""
    if isinstance(node, list):
        for item in node:
            _check_iris(item)
    elif isinstance(node, dict):
        types = node.get("@type") if isinstance(node.get("@type"), list) else []
        for t in types:
            if ":" not in t:
                raise DataIntegrityError(f"type not defined by the document's contexts: {t!r}")
        if isinstance(node.get("@id"), str) and ":" not in node["@id"]:
            raise DataIntegrityError(f"relative identifier: {node['@id']!r}")
        for key, value in node.items():
            if key not in ("@type", "@id"):
                _check_iris(value)


class _Processor(jsonld.JsonLdProcessor):
    """pyld's processor in safe mode, remembering processed contexts across documents.

    pyld caches a processed context under the identity of the active context it was processed in, but a
    type-scoped context (the Open Badges context has one for each type) is processed in a fresh copy of the active
    context each time, so for every document every typed object processes its context again: 40 % of the cost
    of canonicalising a credential. Processing a context is a pure function of the active context (pyld gives each
    one a unique, never reused `_uuid`), the local context (the same objects from the bundled, parsed contexts), the
    flags and the document loader: its result (an immutable frozendict) is remembered under exactly those."""

    _memo = LRUCache(maxsize=4096)

    def __init__(self):
        super().__init__(on_property_dropped=_raise_dropped)

    def _process_context(self, active_ctx, local_ctx, options, override_protected=False, propagate=True,
                         validate_scoped=True, cycles=None):
        # Only a finished (frozen) active context: one being built is still changing under its _uuid.
        if not isinstance(active_ctx, frozendict) or "_uuid" not in active_ctx:
            return super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                            validate_scoped, cycles)
        key = (active_ctx["_uuid"], id(local_ctx), override_protected, propagate, validate_scoped, options["documentLoader"])
        hit = self._memo.get(key)
        if hit is not None and hit[0] is local_ctx:  # the very object (kept alive by the entry: no id reuse)
            return hit[1]
        result = super()._process_context(active_ctx, local_ctx, options, override_protected, propagate,
                                          validate_scoped, cycles)
        if isinstance(result, frozendict):  # only immutable results are shared
            self._memo[key] = (local_ctx, result)
        return result


def canonicalize(document, loader=None):
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (UTF-8 string), in safe mode.

    The steps of pyld's normalize() — JSON-LD to RDF, then URDNA2015 — with the document expanded once: normalize()
    would expand the already expanded document a second time, which is a third of the whole cost (a meeting's
    certificates are signed in one job). The test vectors (tests/certification/test_dataintegrity.py) hold the
    output to the specification's byte for byte."""
    loader = loader or document_loader
    options = {"documentLoader": loader, "base": None,
               "contextResolver": ContextResolver(loader.resolved_contexts, loader)}
    try:
        processor = _Processor()
        expanded = processor.expand(document, options)
        _check_iris(expanded)
        return URDNA2015().main(_to_rdf(processor, expanded), {"algorithm": "URDNA2015",
                                                               "format": "application/n-quads"})
    except jsonld.JsonLdError as exc:
        raise DataIntegrityError(f"cannot canonicalise the document: {_root_cause(exc)}") from exc


def _to_rdf(processor, expanded):
    """The RDF dataset of an expanded JSON-LD document (JsonLdProcessor.to_rdf after its expansion step)."""
    issuer = IdentifierIssuer("_:b")
    node_map = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    options = {"base": None, "produceGeneralizedRdf": False, "processingMode": "json-ld-1.1"}
    return {name: processor._graph_to_rdf(graph, issuer, options) for name, graph in sorted(node_map.items())
            if name == "@default" or jsonld._is_absolute_iri(name)}


def _root_cause(exc):
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return exc.args[0] if exc.args else exc


# --- eddsa-rdfc-2022 --------------------------------------------------------------------------------


def hash_data(document, proof_config, loader=None):
    """(canonical document, canonical proof configuration, proofHash ‖ documentHash)."""
    canon_doc = canonicalize(document, loader)
    canon_proof = canonicalize(proof_config, loader)
    combined = hashlib.sha256(canon_proof.encode()).digest() + hashlib.sha256(canon_doc.encode()).digest()
    return canon_doc, canon_proof, combined


def proof_configuration(document, *, verification_method, created=None, proof_purpose="assertionMethod"):
    """The proof options of §3.2.5, with the document's @context (as the specification requires)."""
    created = created or dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return {"type": PROOF_TYPE, "cryptosuite": CRYPTOSUITE, "created": created,
            "verificationMethod": verification_method, "proofPurpose": proof_purpose,
            "@context": document["@context"]}


def sign(document, private_key: Ed25519PrivateKey, *, verification_method, created=None, loader=None):
    """A copy of `document` with a DataIntegrityProof (eddsa-rdfc-2022) added."""
    if "proof" in document:
        raise DataIntegrityError("document already has a proof")
    config = proof_configuration(document, verification_method=verification_method, created=created)
    _, _, data = hash_data(document, config, loader)
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = multibase_z(private_key.sign(data))
    return {**document, "proof": proof}


def verify(document, resolve_key, loader=None):
    """True when the document's single eddsa-rdfc-2022 proof is valid. `resolve_key(verificationMethod)`
    returns the Ed25519 public key or raises DataIntegrityError. Never raises for a bad signature or an
    altered document: it returns False."""
    try:
        proof = document.get("proof")
        if not isinstance(proof, dict):
            return False
        if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
            return False
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        config = {k: v for k, v in proof.items() if k != "proofValue"}
        if "@context" in config and config["@context"] != unsecured.get("@context"):
            return False
        config["@context"] = unsecured.get("@context")
        signature = multibase_z_decode(proof.get("proofValue") or "")
        public_key = resolve_key(proof.get("verificationMethod") or "")
        _, _, data = hash_data(unsecured, config, loader)
        public_key.verify(signature, data)
        return True
    except (InvalidSignature, DataIntegrityError, TypeError, ValueError):
        return False


def did_key_resolver(verification_method):
    """Resolves did:key Ed25519 verification methods (as in the specification's test vectors)."""
    if not verification_method.startswith("did:key:z6Mk"):
        raise DataIntegrityError(f"unknown verification method: {verification_method}")
    did, _, fragment = verification_method.partition("#")
    key = did.removeprefix("did:key:")
    if fragment and fragment != key:
        raise DataIntegrityError("did:key fragment does not match the key")
    return public_key_from_multibase(key)
