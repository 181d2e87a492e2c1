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
