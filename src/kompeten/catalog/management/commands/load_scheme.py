from django.core.management.base import BaseCommand, CommandError

from kompeten.catalog.loader import SchemeFileError, load_scheme, read_scheme_file


class Command(BaseCommand):
    help = "Create or update a certification scheme from a JSON or YAML file (format: docs/scheme-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--number", help="scheme number, when the file does not give one")

    def handle(self, path, number=None, **options):
        try:
            scheme = load_scheme(read_scheme_file(path), number=number)
        except (OSError, ValueError, SchemeFileError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        units = scheme.units.count()
        self.stdout.write(self.style.SUCCESS(f"Loaded {scheme.number} “{scheme.title}” with {units} units."))
