"""The English catalogue is complete and the UI switches language."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def untranslated(po_text):
    """msgids whose msgstr is empty (`msgstr ""` with no continuation lines) or fuzzy; header excluded."""
    missing = []
    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        if not any(line.startswith("msgid ") for line in lines) or "Project-Id-Version" in block:
            continue
        for i, line in enumerate(lines):
            if re.match(r'^msgstr(\[\d\])? ""$', line) and not (i + 1 < len(lines) and lines[i + 1].startswith('"')):
                missing.append(block)
        if "#, fuzzy" in block:
            missing.append(block)
    return missing


def test_every_message_has_an_english_translation():
    for lang in ("en", "id"):
        po = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
        assert untranslated(po) == [], lang
        assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()


def test_english_is_served(client, db):
    with translation.override("en"):
        assert translation.gettext("Skema sertifikasi") == "Certification schemes"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("catalog:list")).content.decode()
    assert "Certification schemes" in body and "Skema sertifikasi" not in body
