"""Loads the BNSP code lists shipped with the project (core/data/bnsp_codes.json) on every migrate, so a new
installation, the demo and the tests have them without a manual step."""

from django.db import migrations


def load(apps, schema_editor):
    from kompeten.core.codes import load_codes, read_file

    load_codes(read_file(), model=apps.get_model("core", "BnspCode"))


class Migration(migrations.Migration):
    dependencies = [("core", "0007_bnsp_code_lists")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
