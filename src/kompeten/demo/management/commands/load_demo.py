from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from kompeten.demo.builder import LOGINS, PASSWORD, demo_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo LSP (scheme, TUK, assessors, staff, candidates at every stage) once, and print the logins."

    def handle(self, *args, **options):
        if demo_loaded():
            self.stdout.write("Demo data already loaded (delete var/ to start again).")
        else:
            self.stdout.write("Loading the demo LSP through the SOP services …")
            # The demo's notifications land in the inboxes; no e-mail is sent while loading.
            with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}):
                n = load_demo(log=lambda line: self.stdout.write(line))
            self.stdout.write(self.style.SUCCESS(f"Demo loaded: {n} applications at every stage."))
        self.stdout.write(f"\nKompeten demo: http://127.0.0.1:8000   (every password: {PASSWORD})")
        for email, who in LOGINS:
            self.stdout.write(f"  {email:<24} {who}")
        self.stdout.write("")
