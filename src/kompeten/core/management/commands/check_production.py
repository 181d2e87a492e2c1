import sys

from django.core.management.base import BaseCommand

from kompeten.core.production import CHECKS, problems


class Command(BaseCommand):
    help = ("Says in plain words what in the current settings (environment) is not fit for production, and "
            "exits with status 1 if anything is. docs/deploy.md lists the variables.")
    requires_system_checks = []

    def handle(self, *args, **options):
        found = problems()
        if not found:
            self.stdout.write(self.style.SUCCESS(f"Ready for production: {len(CHECKS)} groups of checks passed."))
            return
        self.stdout.write(self.style.ERROR(f"Not ready for production — {len(found)} problem(s):"))
        for n, text in enumerate(found, 1):
            self.stdout.write(f"  {n}. {text}")
        self.stdout.write("See docs/deploy.md for each variable.")
        sys.exit(1)
