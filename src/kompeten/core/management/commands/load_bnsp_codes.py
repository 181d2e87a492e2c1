"""Loads BNSP's code lists (province, city, education, occupation, funding source, ministry) from the project's
file or a newer one: `manage.py load_bnsp_codes [path]`. Migrations load the shipped file already."""

from django.core.management.base import BaseCommand, CommandError

from kompeten.core.codes import CODES_FILE, CodeFileError, load_codes, read_file


class Command(BaseCommand):
    help = "Load BNSP code lists (JSON) into the master data."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CODES_FILE))

    def handle(self, *args, path, **options):
        try:
            counts = load_codes(read_file(path))
        except CodeFileError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"BNSP codes from {path}: {counts['created']} added, {counts['updated']} changed, "
                          f"{counts['deactivated']} marked inactive.")
