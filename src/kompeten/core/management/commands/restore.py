from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kompeten.core.backup import BackupError, restore


class Command(BaseCommand):
    help = ("Restores an archive made by `manage.py backup` into this installation (DATABASE_URL, "
            "KOMPETEN_DATA_DIR). Refuses an installation that already holds accounts or private files unless "
            "--force, which replaces them. Stop the app servers first.")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("archive", help="a .tar.gz made by manage.py backup")
        parser.add_argument("--force", action="store_true",
                            help="replace the database, private files and keys of a non-empty installation")

    def handle(self, *args, archive, force, **options):
        try:
            result = restore(archive, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        # An archive from an older version gets the migrations it lacks.
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(self.style.SUCCESS(
            f"Restored {archive} (made {result['manifest']['created']}): the database, "
            f"{result['private_files']} private file(s), {len(result['data_files'])} key file(s)."))
        if result["missing_files"]:
            self.stdout.write(self.style.WARNING(
                f"{len(result['missing_files'])} file(s) named in the database are not in the archive: "
                + ", ".join(result["missing_files"][:10])))
        self.stdout.write("Start the app servers again (scripts/kompeten serve).")
