"""The certificate as an Open Badges 3.0 credential: content, signature, the issuer's DID, the status lists,
the key, and where the holder and the public find it."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from kompeten.catalog.selectors import scheme_units
from kompeten.certification import credentials, did, services, status_list
from kompeten.certification.dataintegrity import public_key_from_multibase, verify
from kompeten.certification.models import Certificate, DigitalCredential

from .helpers import recommend

pytestmark = pytest.mark.django_db

SITE = "https://lsp.contoh.id"


@pytest.fixture(autouse=True)
def _site_and_key(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.CREDENTIAL_KEY_FILE = ""
    settings.DATA_DIR = tmp_path  # a key of this test's own, made on first use


def document_of(cert):
    return json.loads(DigitalCredential.objects.get(certificate=cert).document)


# --- the credential --------------------------------------------------------------------------------


def test_issuing_a_certificate_makes_its_signed_credential(cert, scheme):
    doc = document_of(cert)
    assert doc["@context"] == ["https://www.w3.org/ns/credentials/v2",
                               "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert doc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert doc["id"].startswith("urn:uuid:")
    assert doc["issuer"]["id"] == "did:web:lsp.contoh.id"
    assert doc["issuer"]["type"] == ["Profile"]
    assert doc["validFrom"].startswith(cert.issued_on.isoformat())
    assert doc["validUntil"] == f"{cert.valid_until.isoformat()}T23:59:59+07:00"
    subject = doc["credentialSubject"]
    assert subject["name"] == cert.holder_name == "Budi Santoso"
    assert subject["identifier"] == [{"type": "IdentityObject", "identityHash": "Budi Santoso",
                                      "identityType": "name", "hashed": False}]
    assert subject["licenseNumber"] == cert.number
    achievement = subject["achievement"]
    assert achievement["achievementType"] == "Certification"
    assert achievement["name"] == scheme.title
    assert achievement["humanCode"] == scheme.number
    assert achievement["id"] == SITE + scheme.get_absolute_url()
    units = scheme_units(scheme)
    assert units
    assert [a["targetCode"] for a in achievement["alignment"]] == [u.code for u in units]
    assert all(a["targetUrl"].startswith(achievement["id"] + "#unit-") for a in achievement["alignment"])
    for u in units:
        assert f"- {u.code} — {u.title}" in achievement["criteria"]["narrative"]
    assert [r["value"] for r in subject["result"]] == ["K"] * len(units)
    assert ({r["resultDescription"] for r in subject["result"]}
            == {d["id"] for d in achievement["resultDescription"]})
    proof = doc["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["verificationMethod"] == did.verification_method()
    assert credentials.verify_credential(doc) is True


def test_credential_never_holds_the_nik(cert):
    from kompeten.cases.selectors import application_of

    application = application_of(cert.case)
    raw = DigitalCredential.objects.get(certificate=cert).document
    assert "nik" not in raw.lower()
    if application is not None and application.nik:
        assert application.nik not in raw


@pytest.mark.parametrize("change", [
    lambda d: d["credentialSubject"].update(name=d["credentialSubject"]["name"] + "a"),
    lambda d: d["credentialSubject"].update(licenseNumber=d["credentialSubject"]["licenseNumber"][:-1] + "9"),
    lambda d: d.update(validUntil=d["validUntil"].replace("23:59:59", "23:59:58")),
    lambda d: d["credentialSubject"]["achievement"].update(achievementType="Certificatf"),
    lambda d: d["credentialStatus"][0].update(statusListIndex=d["credentialStatus"][0]["statusListIndex"] + "1"),
])
def test_changing_one_character_of_our_credential_fails(cert, change):
    doc = document_of(cert)
    change(doc)
    assert credentials.verify_credential(doc) is False


def test_credential_verifies_with_the_key_from_the_served_did_document(client, cert):
    """What a foreign verifier does: resolve did:web to /.well-known/did.json and check with that key."""
    doc = document_of(cert)
    did_doc = client.get("/.well-known/did.json").json()
    assert did_doc["id"] == doc["issuer"]["id"]
    methods = {m["id"]: m for m in did_doc["verificationMethod"]}
    method = methods[doc["proof"]["verificationMethod"]]
    assert method["type"] == "Multikey"
    assert method["controller"] == did_doc["id"]
    assert method["publicKeyMultibase"].startswith("z6Mk")
    assert doc["proof"]["verificationMethod"] in did_doc["assertionMethod"]
    assert verify(doc, lambda _vm: public_key_from_multibase(method["publicKeyMultibase"])) is True


@pytest.mark.parametrize(("site", "expected"), [
    ("https://lsp.contoh.id", "did:web:lsp.contoh.id"),
    ("http://127.0.0.1:8000", "did:web:127.0.0.1%3A8000"),
    ("https://contoh.id/lsp/tdn", "did:web:contoh.id:lsp:tdn"),
])
def test_did_web_from_the_site_url(settings, site, expected):
    settings.SITE_URL = site
    assert did.issuer_did() == expected


def test_credential_is_made_once_per_certificate(cert):
    first = DigitalCredential.objects.get(certificate=cert)
    assert credentials.issue_credential(cert) == first
    assert credentials.credential_of(cert).document == first.document
    assert DigitalCredential.objects.count() == 1


def test_certificate_issued_before_credentials_gets_one_when_asked(client, cert):
    DigitalCredential.objects.all().delete()  # as for a certificate issued before this feature
    response = client.get(cert.get_credential_url())
    assert response.status_code == 200
    assert credentials.verify_credential(json.loads(response.content)) is True
    assert DigitalCredential.objects.filter(certificate=cert).count() == 1


# --- the key ---------------------------------------------------------------------------------------


def test_key_is_made_on_first_use_and_kept(settings, tmp_path):
    path = tmp_path / did.DEFAULT_KEY_NAME
    assert not path.exists()
    first = did.public_key_id()
    assert path.exists()
    assert path.stat().st_mode & 0o077 == 0  # readable by the owner only
    did._keys.clear()  # as in a new process
    assert did.public_key_id() == first


def test_configured_key_is_used(settings, tmp_path):
    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "prod.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    settings.CREDENTIAL_KEY_FILE = str(pem)
    from kompeten.certification.dataintegrity import public_key_multibase

    assert did.public_key_id() == public_key_multibase(key.public_key())
    assert not (tmp_path / did.DEFAULT_KEY_NAME).exists()


def test_configured_key_missing_or_wrong_is_a_clear_error(settings, tmp_path):
    settings.CREDENTIAL_KEY_FILE = str(tmp_path / "missing.pem")
    with pytest.raises(ImproperlyConfigured, match="does not exist"):
        did.signing_key()
    not_ed25519 = tmp_path / "rsa.pem"
    from cryptography.hazmat.primitives.asymmetric import rsa

    not_ed25519.write_bytes(rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    settings.CREDENTIAL_KEY_FILE = str(not_ed25519)
    with pytest.raises(ImproperlyConfigured, match="not an Ed25519"):
        did.signing_key()


# --- status lists ----------------------------------------------------------------------------------


def fetch_list(client, entry):
    path = urlsplit(entry["statusListCredential"]).path
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    return json.loads(response.content)


def bits(client, cert):
    """{purpose: bit} for the certificate, read the way a verifier reads them."""
    out = {}
    for entry in document_of(cert)["credentialStatus"]:
        listed = fetch_list(client, entry)
        assert listed["id"] == entry["statusListCredential"]
        assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
        out[entry["statusPurpose"]] = status_list.bit_is_set(listed["credentialSubject"]["encodedList"],
                                                             int(entry["statusListIndex"]))
    return out


def test_credential_status_entries(cert):
    doc = document_of(cert)
    entries = doc["credentialStatus"]
    assert [e["statusPurpose"] for e in entries] == ["revocation", "suspension"]
    index = DigitalCredential.objects.get(certificate=cert).status_index
    for e in entries:
        assert e["type"] == "BitstringStatusListEntry"
        assert e["statusListIndex"] == str(index % status_list.LIST_SIZE)
        assert e["id"] == f"{e['statusListCredential']}#{e['statusListIndex']}"
        assert e["statusListCredential"].startswith(SITE + "/sertifikat/status/")


def test_status_list_is_a_signed_credential_of_131072_entries(client, cert):
    entry = document_of(cert)["credentialStatus"][0]
    listed = fetch_list(client, entry)
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["issuer"] == "did:web:lsp.contoh.id"
    subject = listed["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["encodedList"].startswith("u")
    assert len(status_list.decode_list(subject["encodedList"])) * 8 == 131_072
    assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credentials.verify_credential(listed) is True
    listed["credentialSubject"]["statusPurpose"] = "suspensioN"
    assert credentials.verify_credential(listed) is False


def test_a_change_of_status_shows_in_the_lists_at_once(client, cert):
    assert bits(client, cert) == {"revocation": False, "suspension": False}
    Certificate.objects.filter(pk=cert.pk).update(status=Certificate.Status.SUSPENDED)
    assert bits(client, cert) == {"revocation": False, "suspension": True}
    Certificate.objects.filter(pk=cert.pk).update(status=Certificate.Status.ACTIVE)
    assert bits(client, cert) == {"revocation": False, "suspension": False}
    Certificate.objects.filter(pk=cert.pk).update(status=Certificate.Status.REVOKED)
    assert bits(client, cert) == {"revocation": True, "suspension": False}


def test_signed_list_is_cached_until_its_bits_change(client, cert, django_assert_max_num_queries, monkeypatch):
    entry = document_of(cert)["credentialStatus"][1]
    first = fetch_list(client, entry)
    calls = []
    real = status_list.build_list_credential
    monkeypatch.setattr(status_list, "build_list_credential", lambda *a: calls.append(a) or real(*a))
    assert fetch_list(client, entry) == first  # served from the cache: not signed again
    assert calls == []
    Certificate.objects.filter(pk=cert.pk).update(status=Certificate.Status.SUSPENDED)
    assert fetch_list(client, entry) != first
    assert len(calls) == 1


def test_encoding_puts_index_zero_at_the_left_most_bit():
    encoded = status_list.encode_list([0, 9, 131_071])
    raw = status_list.decode_list(encoded)
    assert raw[0] == 0x80 and raw[1] == 0x40 and raw[-1] == 0x01
    assert sum(bin(b).count("1") for b in raw) == 3
    assert "=" not in encoded and "+" not in encoded and "/" not in encoded
    assert [status_list.bit_is_set(encoded, i) for i in (0, 1, 9, 131_071)] == [True, False, True, True]


def test_unknown_status_list_is_404(client, cert):
    assert client.get(reverse("certification:status_list", args=["expiry", 0])).status_code == 404
    assert client.get(reverse("certification:status_list", args=["revocation", 1])).status_code == 404


def test_index_is_unique_and_a_taken_one_is_drawn_again(cert, monkeypatch, candidate, scheme, assessor, event,
                                                        committee, admin_user):
    from .helpers import make_case

    taken = DigitalCredential.objects.get(certificate=cert).status_index
    draws = iter([taken, taken, 4242])
    monkeypatch.setattr(status_list, "random_index", lambda: next(draws))
    other = make_case(candidate, scheme, assessor, event)
    recommend(other, "K", monkeypatch=monkeypatch)
    services.decide_competent(other, committee)
    services.sign_holder_agreement(other, candidate)
    second = services.issue_certificate(other, admin_user)
    assert DigitalCredential.objects.get(certificate=second).status_index == 4242


def test_new_list_opens_when_half_full():
    assert status_list.lists_in_use(0) == 1
    assert status_list.lists_in_use(65_535) == 1
    assert status_list.lists_in_use(65_536) == 2


# --- where the holder and the public find it -------------------------------------------------------


def test_public_credential_download(client, cert):
    response = client.get(cert.get_credential_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "attachment" in response["Content-Disposition"] and ".json" in response["Content-Disposition"]
    assert response.content.decode() == DigitalCredential.objects.get(certificate=cert).document
    assert client.get(reverse("certification:credential", args=["tidak-ada"])).status_code == 404


def test_holder_panel_offers_credential_and_linkedin(client, cert, candidate):
    client.force_login(candidate)
    page = client.get(cert.case.get_absolute_url()).content.decode()
    assert cert.get_credential_url() in page
    assert "https://www.linkedin.com/profile/add?" in page


def test_verification_page_and_json_link_the_credential(client, cert):
    page = client.get(cert.get_absolute_url()).content.decode()
    assert cert.get_credential_url() in page
    data = client.get(reverse("certification:verify_json", args=[cert.public_id])).json()
    assert data["credential"] == SITE + cert.get_credential_url()


def test_linkedin_link(cert, settings):
    url = credentials.linkedin_add_url(cert)
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    q = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert q == {
        "startTask": "CERTIFICATION_NAME", "name": cert.scheme.title, "organizationName": settings.LSP_NAME,
        "issueYear": str(cert.issued_on.year), "issueMonth": str(cert.issued_on.month),
        "expirationYear": str(cert.valid_until.year), "expirationMonth": str(cert.valid_until.month),
        "certUrl": SITE + cert.get_absolute_url(), "certId": cert.number,
    }
