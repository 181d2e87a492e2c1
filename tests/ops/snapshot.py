"""What an installation holds, as comparable data: every account, case, document file (hashed from storage),
certificate (with its public verification page asked for), action-log entry and key file.

Run inside the installation: `manage.py shell -c "from tests.ops.snapshot import main; main()"` prints it as
JSON; the backup test compares the source's with the restored one's."""

import hashlib
import json

from django.conf import settings
from django.core.files.storage import default_storage
from django.test import Client


def take():
    from kompeten.cases.models import Case, Document
    from kompeten.certification.models import Certificate
    from kompeten.core.models import ActionLog, User

    client = Client()
    certificates = []
    for number, public_id in Certificate.objects.order_by("number").values_list("number", "public_id"):
        page = client.get(f"/sertifikat/v/{public_id}/")
        certificates.append({"number": number, "page": page.status_code,
                             "shows_number": number in page.content.decode(),
                             "active": 'data-status="active"' in page.content.decode()})
    documents = []
    for doc in Document.objects.order_by("pk"):
        with default_storage.open(doc.file.name, "rb") as f:
            stored = hashlib.sha256(f.read()).hexdigest()
        documents.append([doc.pk, doc.case.number, doc.file.name, doc.original_name, doc.sha256, stored])
    keys = {p.name: p.read_text() for p in sorted(settings.DATA_DIR.glob(".*key*"))}
    return {
        "users": sorted([u, p] for u, p in User.objects.values_list("username", "password")),
        "cases": sorted([n, s] for n, s in Case.objects.values_list("number", "status")),
        "documents": documents,
        "certificates": certificates,
        "log": [[pk, act, str(at), before, after] for pk, act, at, before, after in ActionLog.objects.order_by("pk")
                .values_list("pk", "act", "at", "status_before", "status_after")],
        "keys": keys,
    }


def main():
    print(json.dumps(take()))
