"""Notices that end: a notice asking for an act is done once that act is done on its object (core only; the
workflow's use of it is tested in tests/assessment/test_notices.py and tests/cases/test_notices.py)."""

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import Notification, Role
from kompeten.core.notify import lazy_text, notify, settle_notices
from tests.conftest import make_user


def badge(client):
    return client.get(reverse("home")).context["unread_notifications"]


def test_done_notice_leaves_badge_and_home_but_stays_greyed_in_inbox(client, candidate, admin_user,
                                                                      django_capture_on_commit_callbacks):
    other = make_user("admin2", Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        notify([admin_user, other], "Tolong periksa", url="/x/", about=candidate, asks=("check_it", "refuse_it"))
        notify([admin_user], "Sekadar kabar", url="/y/")
    client.force_login(admin_user)
    assert badge(client) == 2
    # One admin does the act: every admin's notice about it is done, not only the actor's.
    with django_capture_on_commit_callbacks(execute=True):
        assert settle_notices(candidate, "check_it", other) == 2
    assert Notification.objects.filter(title="Tolong periksa", done_at__isnull=False).count() == 2
    assert badge(client) == 1
    home = client.get(reverse("home"))
    assert [n.title for n in home.context["notifications"]] == ["Sekadar kabar"]
    inbox = client.get(reverse("inbox")).content.decode()
    assert "Tolong periksa" in inbox and "Selesai" in inbox and "text-body-secondary" in inbox
    # The notice that asks nothing stays until it is read.
    with django_capture_on_commit_callbacks(execute=True):
        settle_notices(candidate, "refuse_it", other, still_possible=set())
    assert badge(client) == 1
    client.get(reverse("open_notification", args=[Notification.objects.get(title="Sekadar kabar").pk]))
    assert badge(client) == 0


def test_other_acts_and_other_objects_leave_the_notice_open(candidate, admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([admin_user], "Tolong periksa", about=candidate, asks=("check_it",))
    settle_notices(candidate, "something_else", admin_user)
    settle_notices(admin_user, "check_it", admin_user)  # the same act on another object
    settle_notices(candidate, "something_else", admin_user, still_possible={"check_it", "x"})
    assert Notification.objects.get().done_at is None
    # The object moved to where the asked act can no longer be done: nothing is asked any more.
    settle_notices(candidate, "something_else", admin_user, still_possible={"x"})
    assert Notification.objects.get().done_at is not None


def test_two_party_notice_ends_only_by_the_recipients_own_act(candidate, admin_user, committee,
                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([admin_user, committee], "Konfirmasi", about=candidate, asks=("confirm",), by_recipient=True)
    settle_notices(candidate, "confirm", admin_user, still_possible={"confirm"})
    done = dict(Notification.objects.values_list("recipient_id", "done_at"))
    assert done[admin_user.pk] is not None and done[committee.pk] is None


@pytest.mark.django_db(transaction=True)
def test_act_in_the_same_transaction_settles_a_notice_not_yet_delivered(candidate, admin_user):
    """The demo does many acts in one transaction: a notice queued earlier in it is delivered already done
    (and not e-mailed, as it asks nothing any more)."""
    with transaction.atomic():
        notify([admin_user], "Tolong periksa", about=candidate, asks=("check_it",))
        notify([admin_user], "Tolong setujui", about=candidate, asks=("approve_it",))
        settle_notices(candidate, "check_it", candidate)
        assert not Notification.objects.exists()
    done = dict(Notification.objects.values_list("title", "done_at"))
    assert done["Tolong periksa"] is not None and done["Tolong setujui"] is None
    assert [m.subject for m in mail.outbox] == ["Tolong setujui"]


def test_each_recipient_reads_the_notice_in_their_own_language(candidate, admin_user,
                                                                django_capture_on_commit_callbacks):
    admin_user.language = "en"
    admin_user.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # an English actor
        notify([admin_user, candidate], lazy_text(_("Permohonan baru %(number)s menunggu kaji dokumen"),
                                                  number="PMH-1"),
               body=lazy_text(_("%(name)s — %(scheme)s. Silakan kaji kelengkapan dokumennya."), name="Budi",
                              scheme="Junior Web Developer"))
    mine = {n.recipient_id: n for n in Notification.objects.all()}
    assert mine[admin_user.pk].title == "New application PMH-1 awaits document review"
    assert mine[admin_user.pk].body.startswith("Budi — Junior Web Developer. Please review")
    assert mine[candidate.pk].title == "Permohonan baru PMH-1 menunggu kaji dokumen"
    assert mine[candidate.pk].body.startswith("Budi — Junior Web Developer. Silakan kaji")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[admin_user.email] == "New application PMH-1 awaits document review"
    assert subjects[candidate.email] == "Permohonan baru PMH-1 menunggu kaji dokumen"


def test_user_text_with_percent_sign_is_kept_as_written(candidate, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([candidate], lazy_text(_("Jadwal %(event)s dibatalkan"), event="JUK-1"), body="Diskon 50% batal")
    n = Notification.objects.get()
    assert (n.title, n.body) == ("Jadwal JUK-1 dibatalkan", "Diskon 50% batal")
