"""send_reminders: before expiry and before surveillance checks, each once, spread in batches."""

import datetime as dt
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from kompeten.certification import expiry
from kompeten.certification.models import Reminder
from kompeten.core.models import Notification

from .helpers import make_holder


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def go(**kw):
        with django_capture_on_commit_callbacks(execute=True):
            return expiry.send_reminders(pause=0, **kw)
    return go


def test_nearest_threshold_once_even_when_run_twice(candidate, scheme, assessor, event, admin_user, run, mailoutbox):
    cert = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=25, dues=(5, 200))
    assert run() == {"sent": 2, "skipped": 0, "left": 0}  # expiry at 30 days (not 90 too), check at 7 days
    assert set(Reminder.objects.values_list("kind", "threshold")) == {("expiry", 30), ("surveillance", 7)}
    assert Notification.objects.filter(recipient=candidate).count() == 2
    assert len(mailoutbox) == 2
    assert run() == {"sent": 0, "skipped": 0, "left": 0}
    call_command("send_reminders", "--pause", "0")
    assert Notification.objects.filter(recipient=candidate).count() == 2
    # Days later the 7-day threshold is reached: one more, once.
    cert.valid_until -= dt.timedelta(days=20)
    cert.save()
    assert run()["sent"] == 1 and run()["sent"] == 0
    assert Reminder.objects.filter(kind="expiry", object_id=cert.pk, threshold=7).count() == 1


def test_a_reminder_sent_by_another_process_is_skipped(candidate, scheme, assessor, event, admin_user, run):
    cert = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=60)
    todo = expiry.due_reminders()
    assert [(d.kind, d.threshold) for d in todo] == [("expiry", 90)]
    Reminder.objects.create(kind="expiry", object_id=cert.pk, threshold=90, recipient=candidate)  # the other run
    assert expiry.send_one(todo[0]) is False
    assert not Notification.objects.exists()


def test_spread_in_batches_with_a_cap_per_run(candidate, scheme, assessor, event, admin_user,
                                              django_capture_on_commit_callbacks, settings):
    for _i in range(7):
        make_holder(candidate, scheme, assessor, event, admin_user, valid_days=10)
    pauses = []
    with django_capture_on_commit_callbacks(execute=True):
        result = expiry.send_reminders(max_per_run=5, batch_size=2, pause=3, sleep=pauses.append)
    assert result == {"sent": 5, "skipped": 0, "left": 2}
    assert pauses == [3, 3]  # batches of 2, 2, 1
    with django_capture_on_commit_callbacks(execute=True):
        assert expiry.send_reminders(max_per_run=5, batch_size=2, pause=0)["sent"] == 2  # the rest, next run
    assert Reminder.objects.count() == 7


def test_no_reminder_for_suspended_renewed_or_far_certificates(candidate, scheme, assessor, event, admin_user, run):
    far = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=200, dues=(100,))
    suspended = make_holder(candidate, scheme, assessor, event, admin_user, valid_days=10, dues=(3,))
    suspended.status = "suspended"
    suspended.save()
    assert far and run()["sent"] == 0


@pytest.mark.django_db(transaction=True)
def test_two_processes_at_once_send_once(candidate, scheme, assessor, event, admin_user):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; run with KOMPETEN_TEST_DB=postgres")
    for _i in range(6):
        make_holder(candidate, scheme, assessor, event, admin_user, valid_days=20, dues=(3,))
    barrier = threading.Barrier(4)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(expiry.send_reminders(pause=0))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r["sent"] for r in results) == 12
    assert Reminder.objects.count() == 12
    assert Notification.objects.filter(recipient=candidate).count() == 12
