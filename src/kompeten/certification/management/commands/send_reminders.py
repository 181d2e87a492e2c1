"""Daily (cron): reminders before certificates expire and before surveillance checks fall due."""

from django.core.management.base import BaseCommand

from kompeten.certification.expiry import send_reminders


class Command(BaseCommand):
    help = ("Send the reminders due today (certificate expiry, surveillance due dates), each once, spread in "
            "batches. Safe to run again and in parallel.")

    def add_arguments(self, parser):
        parser.add_argument("--max", type=int, default=None, help="at most this many (KOMPETEN_REMINDER_MAX_PER_RUN)")
        parser.add_argument("--batch", type=int, default=None, help="per batch (KOMPETEN_REMINDER_BATCH_SIZE)")
        parser.add_argument("--pause", type=float, default=None,
                            help="seconds between batches (KOMPETEN_REMINDER_BATCH_PAUSE)")

    def handle(self, *args, **opts):
        result = send_reminders(max_per_run=opts["max"], batch_size=opts["batch"], pause=opts["pause"],
                                log=(lambda m: self.stdout.write(m)) if opts["verbosity"] > 1 else None)
        self.stdout.write(f"reminders: {result['sent']} sent, {result['skipped']} already sent, "
                          f"{result['left']} left for the next run")
