"""W3C Bitstring Status List v1.0: the revocation and suspension status of every digital credential.

Each credential gets one index, allocated once at random (the specification's advice against correlating
holders by issue order) and unique through the database; it is the same position in the revocation list and
in the suspension list. A list holds LIST_SIZE = 131,072 entries (the specification's minimum, 16 KiB); list n
holds indices n·LIST_SIZE … (n+1)·LIST_SIZE − 1, and a new list opens when the lists in use are half full.

A list is served as a signed BitstringStatusListCredential computed from the certificates' current status:
a bit is 1 when the certificate is revoked (revocation list) or suspended (suspension list). The signed list
is cached under a key made from the set bits themselves, so a change of status shows in the very next
request, in every process, with no invalidation step to forget.
"""

import base64
import gzip
import hashlib
import json
import secrets

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from . import did
from .dataintegrity import VC_CONTEXT, sign
from .models import Certificate, DigitalCredential

LIST_SIZE = 131_072
PURPOSES = {"revocation": Certificate.Status.REVOKED, "suspension": Certificate.Status.SUSPENDED}
CACHE_SECONDS = 24 * 3600


def lists_in_use(allocated=None):
    allocated = DigitalCredential.objects.count() if allocated is None else allocated
    return 1 + allocated // (LIST_SIZE // 2)


def random_index():
    """A candidate index for a new credential (the caller retries when it is taken)."""
    return secrets.randbelow(lists_in_use() * LIST_SIZE)


def list_url(purpose, number):
    return settings.SITE_URL + reverse("certification:status_list", args=[purpose, number])


def status_entries(index):
    """The credentialStatus of the credential with this index: one entry per purpose."""
    number, position = divmod(index, LIST_SIZE)
    entries = []
    for purpose in PURPOSES:
        url = list_url(purpose, number)
        entries.append({"id": f"{url}#{position}", "type": "BitstringStatusListEntry", "statusPurpose": purpose,
                        "statusListIndex": str(position), "statusListCredential": url})
    return entries


# --- the bitstring ---------------------------------------------------------------------------------


def encode_list(positions, size=LIST_SIZE):
    """Multibase base64url (no padding, 'u' prefix) of the GZIP-compressed bitstring; position 0 is the
    left-most (most significant) bit of the first byte."""
    bits = bytearray(size // 8)
    for p in positions:
        bits[p // 8] |= 0x80 >> (p % 8)
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode_list(encoded):
    if not encoded.startswith("u"):
        raise ValueError("encodedList must be multibase base64url ('u' prefix)")
    body = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(encoded, position):
    bits = decode_list(encoded)
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


# --- the list credential ---------------------------------------------------------------------------


def set_positions(purpose, number):
    """Positions in list `number` whose certificate currently has the purpose's status."""
    low = number * LIST_SIZE
    indices = (DigitalCredential.objects
               .filter(certificate__status=PURPOSES[purpose], status_index__gte=low, status_index__lt=low + LIST_SIZE)
               .order_by("status_index").values_list("status_index", flat=True))
    return [i - low for i in indices]


def list_exists(purpose, number):
    return purpose in PURPOSES and 0 <= number < lists_in_use()


def build_list_credential(purpose, number, positions):
    url = list_url(purpose, number)
    unsigned = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": did.issuer_did(),
        "validFrom": timezone.localtime().isoformat(timespec="seconds"),
        "credentialSubject": {"id": f"{url}#list", "type": "BitstringStatusList", "statusPurpose": purpose,
                              "encodedList": encode_list(positions)},
    }
    return sign(unsigned, did.signing_key(), verification_method=did.verification_method())


def list_credential_json(purpose, number):
    """The signed status list as served (JSON text), from the cache when its bits have not changed."""
    positions = set_positions(purpose, number)
    # The key names everything the signed list depends on: its bits, the signing key and the site URL.
    parts = [purpose, str(number), did.verification_method(), settings.SITE_URL, ",".join(map(str, positions))]
    key = "kompeten:statuslist:" + hashlib.sha256("|".join(parts).encode()).hexdigest()
    text = cache.get(key)
    if text is None:
        text = json.dumps(build_list_credential(purpose, number, positions), ensure_ascii=False, indent=2)
        cache.set(key, text, CACHE_SECONDS)
    return text
