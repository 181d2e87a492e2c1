"""Reloads the shipped BNSP code lists once more: the city list grew from 71 entries to all 514 kabupaten/kota and
six codes were corrected to Kemendagri's (see the file's "_source"). A database migrated before gets the new cities
and the corrected names here; a code no longer listed (9271) is only marked inactive, never deleted."""

from django.db import migrations


def load(apps, schema_editor):
    from kompeten.core.codes import load_codes, read_file

    load_codes(read_file(), model=apps.get_model("core", "BnspCode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0009_edit_version")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
