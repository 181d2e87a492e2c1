from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kompeten.catalog.loader import SchemeFileError, load_scheme, read_scheme_file


class Command(BaseCommand):
    help = "Create or update a certification scheme from a JSON or YAML file (format: docs/scheme-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--number", help="scheme number, when the file does not give one")

    def handle(self, path, number=None, **options):
        # Every problem is a message naming its place in the file and a non-zero exit, never a traceback.
        try:
            scheme = load_scheme(read_scheme_file(path), number=number)
        except SchemeFileError as exc:
            lines = "\n".join(f"  {e}" for e in exc.errors)
            raise CommandError(_("%(path)s tidak dimuat:\n%(errors)s") % {"path": path, "errors": lines}) from None
        s = scheme.load_summary
        self.stdout.write(self.style.SUCCESS(
            _("Skema %(number)s “%(title)s” %(done)s: %(units)s unit, %(elements)s elemen, %(criteria)s KUK.") % {
                "number": scheme.number, "title": scheme.title,
                "done": _("dibuat") if s["created"] else _("diperbarui"),
                "units": s["units"], "elements": s["elements"], "criteria": s["criteria"]}))
