"""The admins' "waiting for document review" notices end when one admin reviews (or the file is withdrawn);
the candidate's "fix and resubmit" notice ends when she resubmits."""

from django.urls import reverse

from kompeten.cases import services
from kompeten.catalog.models import Requirement
from kompeten.core.models import Notification, Role
from tests.conftest import make_user

from .helpers import fill_case, pdf_file, review_items


def badge(client, user):
    client.force_login(user)
    return client.get(reverse("home")).context["unread_notifications"]


def submitted(scheme, candidate, on_commit):
    case = services.create_case(candidate, scheme)
    fill_case(case, candidate)
    on_commit(services.submit_application, case, candidate)
    case.refresh_from_db()
    return case


def test_every_admins_review_notice_ends_when_one_admin_reviews(client, scheme, candidate, admin_user, on_commit):
    other = make_user("admin2", Role.ADMIN)
    case = submitted(scheme, candidate, on_commit)
    assert badge(client, admin_user) == 1 and badge(client, other) == 1
    on_commit(services.review_documents, case, other, items=review_items(scheme), outcome="accepted")
    assert badge(client, admin_user) == 0 and badge(client, other) == 0
    assert Notification.objects.filter(recipient__in=[admin_user, other], done_at__isnull=False).count() == 2
    # The candidate's "accepted" notice asks nothing: it stays until she reads it.
    assert badge(client, candidate) == 1


def test_returned_file_notice_ends_on_resubmission_and_withdrawal_ends_the_review_notice(
        client, scheme, candidate, admin_user, on_commit):
    case = submitted(scheme, candidate, on_commit)
    bad = Requirement.objects.filter(scheme=scheme, kind="administrative").first()
    on_commit(services.review_documents, case, admin_user, items=review_items(scheme, bad={bad.pk}),
              outcome="returned", note="Pas foto buram")
    returned = Notification.objects.get(recipient=candidate, title__contains="dikembalikan")
    assert returned.done_at is None
    old = services.current_documents(case).get(requirement=bad)
    services.upload_document(case, candidate, file=pdf_file("foto-baru.pdf"), replaces=old)
    case.refresh_from_db()
    on_commit(services.submit_application, case, candidate)
    returned.refresh_from_db()
    assert returned.done_at is not None
    review = Notification.objects.filter(recipient=admin_user, title__contains="diajukan ulang").get()
    assert review.done_at is None and badge(client, admin_user) == 1
    case.refresh_from_db()
    on_commit(services.withdraw, case, candidate, reason="Pindah kerja")
    review.refresh_from_db()
    assert review.done_at is not None  # nothing left to review
    assert badge(client, admin_user) == 1  # only "withdrawn", which asks nothing
