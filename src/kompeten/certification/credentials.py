"""The certificate as an Open Badges 3.0 credential (a W3C Verifiable Credential 2.0).

One credential per certificate, built and signed once when the certificate is issued (or, for a certificate
issued before credentials existed, the first time it is asked for) and stored exactly as signed. It carries:
the achievement (achievementType "Certification": the scheme, its criteria as a narrative, its units as
alignments and as result descriptions with the holder's K per unit), validFrom/validUntil, the holder's name
(never the NIK), the LSP as a did:web issuer, and `credentialStatus` entries pointing into the revocation and
suspension status lists (status_list.py). The proof is a DataIntegrityProof, eddsa-rdfc-2022 (dataintegrity.py).

The texts inside the credential are data read by wallets and foreign verifiers in any language: they are
written once, in Indonesian and English, not translated per reader.
"""

import datetime as dt
import json
import secrets
import uuid
from urllib.parse import urlencode

from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from kompeten.catalog.selectors import scheme_units

from . import did, status_list
from .dataintegrity import OB_CONTEXT, VC_CONTEXT, sign, verify
from .models import DigitalCredential

MEDIA_TYPE = "application/vc"
MAX_INDEX_TRIES = 20


def _absolute(path):
    return settings.SITE_URL + path


def _local_iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _end_of_day(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def issuer_profile():
    return {
        "id": did.issuer_did(),
        "type": ["Profile"],
        "name": settings.LSP_NAME,
        "url": settings.SITE_URL + "/",
        "otherIdentifier": [{"type": ["IdentifierEntry"], "identifier": settings.LSP_LICENSE,
                             "identifierType": "ext:BNSPLicenseNumber"}],
    }


def criteria_narrative(scheme, units):
    lines = [
        f"Dinyatakan **Kompeten (K)** oleh {settings.LSP_NAME} (lisensi BNSP {settings.LSP_LICENSE}) pada seluruh "
        f"unit kompetensi skema sertifikasi {scheme.number} \"{scheme.title}\", melalui uji kompetensi oleh asesor "
        "kompetensi teregistrasi dan keputusan komite teknis, sesuai pedoman BNSP.",
        "",
        f"Assessed as **competent** by {settings.LSP_NAME} (BNSP licence {settings.LSP_LICENSE}) in every unit of "
        f"competency of certification scheme {scheme.number}, through a competency assessment by a registered "
        "assessor and the decision of the technical committee, following BNSP guidelines.",
        "",
    ]
    lines += [f"- {u.code} — {u.title}" for u in units]
    return "\n".join(lines)


def build_credential(certificate, *, credential_id, status_index, units=None):
    """The unsigned credential of a certificate (a dict ready for dataintegrity.sign). `units`: the scheme's
    units (scheme_units), when the caller has them already."""
    scheme = certificate.scheme
    units = scheme_units(scheme) if units is None else units
    achievement_url = _absolute(scheme.get_absolute_url())
    alignments, descriptions, results = [], [], []
    for u in units:
        unit_url = f"{achievement_url}#unit-{u.pk}"
        alignments.append({"type": ["Alignment"], "targetName": f"{u.code} {u.title}", "targetCode": u.code,
                           "targetFramework": u.standard_type, "targetType": "ceasn:Competency",
                           "targetUrl": unit_url})
        description_id = f"{unit_url}-result"
        descriptions.append({"id": description_id, "type": ["ResultDescription"], "name": f"{u.code} {u.title}",
                             "resultType": "LetterGrade", "allowedValue": ["K", "BK"], "requiredValue": "K"})
        results.append({"type": ["Result"], "resultDescription": description_id, "value": "K"})
    achievement = {
        "id": achievement_url,
        "type": ["Achievement"],
        "achievementType": "Certification",
        "name": scheme.title,
        "description": scheme.summary or scheme.title,
        "humanCode": scheme.number,
        "criteria": {"narrative": criteria_narrative(scheme, units)},
        "alignment": alignments,
        "resultDescription": descriptions,
        "inLanguage": "id",
    }
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": f"{scheme.title} — {certificate.number}",
        "issuer": issuer_profile(),
        "validFrom": _local_iso(certificate.issued_at),
        "validUntil": _end_of_day(certificate.valid_until).isoformat(timespec="seconds"),
        "awardedDate": _local_iso(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": certificate.holder_name,
            "identifier": [{"type": "IdentityObject", "identityHash": certificate.holder_name,
                            "identityType": "name", "hashed": False}],
            "licenseNumber": certificate.number,
            "achievement": achievement,
            "result": results,
        },
        "credentialStatus": status_list.status_entries(status_index),
    }


def sign_credential(unsigned):
    return sign(unsigned, did.signing_key(), verification_method=did.verification_method())


def verify_credential(document):
    """True when the proof of a credential we issued is valid (our did:web key)."""
    return verify(document, did.resolve_own_key)


def issue_credential(certificate):
    """Build, sign and store the credential of a certificate, with a status index of its own. Returns the
    existing one when the certificate already has it (also when a concurrent request made it first)."""
    existing = DigitalCredential.objects.filter(certificate=certificate).first()
    if existing is not None:
        return existing
    credential_id = f"urn:uuid:{uuid.uuid4()}"
    for _ in range(MAX_INDEX_TRIES):
        index = status_list.random_index()
        if DigitalCredential.objects.filter(status_index=index).exists():
            continue
        document = sign_credential(build_credential(certificate, credential_id=credential_id, status_index=index))
        try:
            with transaction.atomic():
                return DigitalCredential.objects.create(
                    certificate=certificate, status_index=index,
                    document=json.dumps(document, ensure_ascii=False, indent=2))
        except IntegrityError:  # the index or the certificate was taken by a concurrent request
            existing = DigitalCredential.objects.filter(certificate=certificate).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free status-list index found")  # only if the lists are nearly full: never by design


def free_indices(n):
    """`n` different status-list indices no stored credential has (for a batch of new credentials; one taken by a
    concurrent request before they are stored makes their insert fail: see store_signed)."""
    allocated = DigitalCredential.objects.count()
    chosen = set()
    while len(chosen) < n:
        size = status_list.lists_in_use(allocated + len(chosen)) * status_list.LIST_SIZE
        candidates = {secrets.randbelow(size) for _ in range(n - len(chosen))} - chosen
        chosen |= candidates - set(DigitalCredential.objects.filter(status_index__in=candidates)
                                   .values_list("status_index", flat=True))
    return list(chosen)


def press_config():
    """What press.Maker needs to sign credentials in a worker process: the DID key and its verification method."""
    raw = did.signing_key().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return {"credential_key": raw, "verification_method": did.verification_method()}


def store_signed(made):
    """Store credentials signed in a batch (press.Maker): `made` = [(certificate, status_index, JSON text)], inside
    the batch's transaction. A status index taken meanwhile by a concurrent request (rare: a random index among at
    least 131,072) makes that certificate's credential anew here with another (issue_credential)."""
    try:
        with transaction.atomic():
            DigitalCredential.objects.bulk_create(
                [DigitalCredential(certificate=c, status_index=i, document=text) for c, i, text in made])
    except IntegrityError:
        for certificate, index, text in made:
            try:
                with transaction.atomic():
                    DigitalCredential.objects.create(certificate=certificate, status_index=index, document=text)
            except IntegrityError:
                issue_credential(certificate)


def credential_of(certificate):
    """The certificate's stored credential, made now if the certificate predates digital credentials."""
    return issue_credential(certificate)


def credential_filename(certificate):
    return f"kredensial-{certificate.number.replace('/', '-')}.json"


def linkedin_add_url(certificate):
    """LinkedIn's "Add licence or certification" link, filled in (a plain link: nothing is sent to LinkedIn
    until the holder follows it)."""
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.scheme.title,
        "organizationName": settings.LSP_NAME,
        "issueYear": certificate.issued_on.year,
        "issueMonth": certificate.issued_on.month,
        "expirationYear": certificate.valid_until.year,
        "expirationMonth": certificate.valid_until.month,
        "certUrl": _absolute(certificate.get_absolute_url()),
        "certId": certificate.number,
    }
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
