"""Close every written test left open past its deadline (run from cron every minute; pages close them lazily too)."""

from django.core.management.base import BaseCommand

from kompeten.assessment import written_test


class Command(BaseCommand):
    help = "Submit written tests whose deadline has passed (multiple choice scored)."

    def handle(self, *args, **options):
        n = written_test.close_expired()
        self.stdout.write(f"closed {n} written test(s)")
