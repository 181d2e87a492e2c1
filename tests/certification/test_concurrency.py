"""Certificate numbers stay unique when many are issued at the same moment (PostgreSQL only)."""

import threading

import pytest
from django.db import connection, connections

from kompeten.certification import services
from kompeten.certification.models import Certificate

from .helpers import make_case, make_event, recommend


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_gives_unique_numbers(candidate, scheme, site, assessor, committee, admin_user,
                                               monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; run with KOMPETEN_TEST_DB=postgres")
    event = make_event(scheme, site)
    cases = []
    for _i in range(8):
        c = make_case(candidate, scheme, assessor, event)
        recommend(c, "K", monkeypatch=monkeypatch)
        services.decide_competent(c, committee)
        services.sign_holder_agreement(c, candidate)
        cases.append(c)
    barrier = threading.Barrier(len(cases))
    errors = []

    def work(c):
        try:
            barrier.wait()
            services.issue_certificate(c, admin_user)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 8
    assert sorted(int(n.rsplit("/", 1)[1]) for n in numbers) == list(range(1, 9))


@pytest.mark.django_db(transaction=True)
def test_concurrent_credentials_get_one_index_each(candidate, scheme, site, assessor, committee, admin_user,
                                                   monkeypatch, settings, tmp_path):
    """Status-list indices stay unique when credentials are made at the same moment, even when every draw
    lands in a tiny range; and a certificate asked for by many at once still gets exactly one credential."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL; run with KOMPETEN_TEST_DB=postgres")
    import random

    from kompeten.certification import credentials, status_list
    from kompeten.certification.models import DigitalCredential

    settings.DATA_DIR = tmp_path
    settings.CREDENTIAL_KEY_FILE = ""
    monkeypatch.setattr(status_list, "random_index", lambda: random.randrange(16))
    event = make_event(scheme, site)
    certs = []
    for _i in range(8):
        c = make_case(candidate, scheme, assessor, event)
        recommend(c, "K", monkeypatch=monkeypatch)
        services.decide_competent(c, committee)
        services.sign_holder_agreement(c, candidate)
        certs.append(services.issue_certificate(c, admin_user))
    DigitalCredential.objects.all().delete()  # as for certificates issued before credentials existed
    jobs = certs + [certs[0]] * 4  # the first one asked for five times at once
    barrier = threading.Barrier(len(jobs))
    errors = []

    def work(cert):
        try:
            barrier.wait()
            credentials.credential_of(cert)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    indices = list(DigitalCredential.objects.values_list("status_index", flat=True))
    assert len(indices) == len(set(indices)) == 8
    assert set(DigitalCredential.objects.values_list("certificate", flat=True)) == {c.pk for c in certs}
