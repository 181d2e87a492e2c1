"""eddsa-rdfc-2022 against the published W3C test vectors (vectors/README.md names their source), byte for byte."""

import hashlib
import json
import socket
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kompeten.certification import dataintegrity as di

VECTORS = Path(__file__).resolve().parent / "vectors"
SUITE = VECTORS / "eddsa-rdfc-2022"
CASES = [(SUITE, VECTORS / "unsigned.json"), (SUITE / "employ", VECTORS / "employmentAuth.json")]
IDS = ["alumni", "employment"]

# The two contexts the vectors use beyond the ones the application bundles.
LOADER = di.make_document_loader({
    "https://www.w3.org/ns/credentials/examples/v2":
        json.loads((VECTORS / "contexts/credentials-examples-v2.jsonld").read_text()),
    "https://w3id.org/citizenship/v4rc1":
        json.loads((VECTORS / "contexts/citizenship-v4rc1.jsonld").read_text()),
})


def text(path):
    return path.read_text(encoding="utf-8")


def load(path):
    return json.loads(text(path))


@pytest.fixture(scope="module")
def private_key():
    return di.private_key_from_multibase(load(VECTORS / "keyPair.json")["privateKeyMultibase"])


def test_key_pair_of_the_vectors(private_key):
    assert di.public_key_multibase(private_key.public_key()) == load(VECTORS / "keyPair.json")["publicKeyMultibase"]


@pytest.mark.parametrize(("folder", "unsigned"), CASES, ids=IDS)
def test_canonical_forms_and_hashes(folder, unsigned):
    document = load(unsigned)
    config = load(folder / "proofConfigDataInt.json")
    canon_doc, canon_proof, combined = di.hash_data(document, config, LOADER)
    assert canon_doc == text(folder / "canonDocDataInt.txt")
    assert canon_proof == text(folder / "proofCanonDataInt.txt")
    assert hashlib.sha256(canon_doc.encode()).hexdigest() == text(folder / "docHashDataInt.txt")
    assert hashlib.sha256(canon_proof.encode()).hexdigest() == text(folder / "proofHashDataInt.txt")
    assert combined.hex() == text(folder / "combinedHashDataInt.txt")


@pytest.mark.parametrize(("folder", "unsigned"), CASES, ids=IDS)
def test_signature_and_signed_document(folder, unsigned, private_key):
    document = load(unsigned)
    config = load(folder / "proofConfigDataInt.json")
    assert di.proof_configuration(document, verification_method=config["verificationMethod"],
                                  created=config["created"]) == config
    _, _, combined = di.hash_data(document, config, LOADER)
    signature = private_key.sign(combined)
    assert signature.hex() == text(folder / "sigHexDataInt.txt")
    assert di.multibase_z(signature) == text(folder / "sigBTC58DataInt.txt")

    signed = di.sign(document, private_key, verification_method=config["verificationMethod"],
                     created=config["created"], loader=LOADER)
    assert signed == load(folder / "signedDataInt.json")
    assert signed["proof"]["proofValue"] == text(folder / "sigBTC58DataInt.txt")


@pytest.mark.parametrize(("folder", "unsigned"), CASES, ids=IDS)
def test_published_signed_document_verifies(folder, unsigned):
    assert di.verify(load(folder / "signedDataInt.json"), di.did_key_resolver, LOADER) is True


def _one_char_changed(value):
    return value[:-1] + ("X" if value[-1] != "X" else "Y")


@pytest.mark.parametrize("path", [
    ("validFrom",),
    ("issuer",),
    ("credentialSubject", "alumniOf"),
    ("credentialSubject", "id"),
    ("name",),
    ("proof", "created"),
    ("proof", "proofValue"),
])
def test_one_character_changed_fails(path):
    signed = load(SUITE / "signedDataInt.json")
    node = signed
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = _one_char_changed(node[path[-1]])
    assert di.verify(signed, di.did_key_resolver, LOADER) is False


def test_other_tampering_fails():
    signed = load(SUITE / "signedDataInt.json")
    assert di.verify({k: v for k, v in signed.items() if k != "proof"}, di.did_key_resolver, LOADER) is False
    for change in [
        lambda d: d["proof"].update(cryptosuite="eddsa-jcs-2022"),
        lambda d: d["proof"].update(verificationMethod="did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
        lambda d: d["type"].append("AlumniCredential"),  # the same RDF: still valid (no change in meaning)
        lambda d: d["credentialSubject"].update(extra="undefined term"),
    ]:
        doc = load(SUITE / "signedDataInt.json")
        change(doc)
        expected = doc["type"] == ["VerifiableCredential", "AlumniCredential", "AlumniCredential"]
        assert di.verify(doc, di.did_key_resolver, LOADER) is expected


def test_unknown_context_is_refused_without_going_online(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the document loader tried to go online")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://w3id.org/citizenship/v4rc1"],
                "type": ["VerifiableCredential"]}
    with pytest.raises(di.DataIntegrityError, match="not bundled"):
        di.canonicalize(document)  # the application's own loader does not know this context
    assert di.canonicalize(document, LOADER)


@pytest.mark.parametrize("document", [
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "nik": "3273"},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential", "MadeUp"]},
    {"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "relative", "type": ["VerifiableCredential"]},
], ids=["undefined-term", "undefined-type", "relative-id"])
def test_safe_mode_refuses_what_would_not_be_signed(document):
    with pytest.raises(di.DataIntegrityError):
        di.canonicalize(document)


def test_bundled_vc_context_is_the_published_one():
    digest = hashlib.sha256((di.CONTEXTS_DIR / "credentials-v2.jsonld").read_bytes()).hexdigest()
    assert digest == "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734"
    assert set(di.BUNDLED_CONTEXTS.values()) <= {p.name for p in di.CONTEXTS_DIR.iterdir()}


@given(st.binary(max_size=80))
def test_base58btc_round_trip(data):
    assert di.base58btc_decode(di.base58btc_encode(data)) == data


def test_base58btc_known_values():
    assert di.base58btc_encode(b"") == ""
    assert di.base58btc_encode(b"\0\0\x01") == "112"
    assert di.base58btc_encode(b"Hello World!") == "2NEpo7TZRRrLZSi2U"
    with pytest.raises(di.DataIntegrityError):
        di.base58btc_decode("0OIl")
