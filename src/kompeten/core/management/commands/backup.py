from django.core.management.base import BaseCommand, CommandError

from kompeten.core.backup import BackupError, backup


class Command(BaseCommand):
    help = ("Writes one consistent archive of the database, the private files and the keys of the data "
            "directory, while the app runs. Give a directory (a time-stamped .tar.gz is made in it) or a file "
            "name ending in .tar.gz. The archive holds the secret key: keep it as safe as the server.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("destination", help="a directory, or a file name ending in .tar.gz")

    def handle(self, *args, destination, **options):
        try:
            path, manifest = backup(destination)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        db = manifest["database"]
        self.stdout.write(self.style.SUCCESS(
            f"Backup written to {path}: {db['engine']} database, {manifest['private_files']} private file(s), "
            f"{len(manifest['data_files'])} key file(s)."))
