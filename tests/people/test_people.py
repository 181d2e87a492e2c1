import datetime as dt

from django.urls import reverse
from django.utils import timezone

from kompeten.core.models import Role
from kompeten.people.admin import AssessorAdminForm
from kompeten.people.models import Assessor, normalise_employer
from tests.conftest import make_user


def test_normalise_employer():
    assert normalise_employer("PT. Solusi  Web, Tbk") == normalise_employer("solusi web") == "solusi web"
    assert normalise_employer("CV Maju-Jaya") == "maju jaya"
    assert normalise_employer("") == ""
    assert normalise_employer("PT Solusi Web") != normalise_employer("PT Solusi Data")


def test_may_assess(assessor, scheme):
    assert assessor.may_assess(scheme) is None
    later = assessor.registration_valid_until + dt.timedelta(days=1)
    assert "MET" in str(assessor.may_assess(scheme, later))


def test_admin_form_checks_met_and_role(db, scheme):
    user = make_user("calon", Role.CANDIDATE)
    form = AssessorAdminForm({"user": user.pk, "met_number": "MET-123", "schemes": [scheme.pk],
                              "registration_valid_until": "2030-01-01", "is_active": True})
    assert not form.is_valid()
    assert "met_number" in form.errors and "user" in form.errors
    asesor = make_user("asesor2", Role.ASSESSOR)
    form = AssessorAdminForm({"user": asesor.pk, "met_number": "MET.000.123456  2021", "schemes": [scheme.pk],
                              "registration_valid_until": "2030-01-01", "is_active": True})
    assert form.is_valid(), form.errors
    assert form.save().met_number == "MET.000.123456 2021"


def test_registry_list_filters_and_queries(client, admin_user, assessor, scheme, django_assert_max_num_queries):
    for i in range(24):
        a = Assessor.objects.create(user=make_user(f"as{i}", Role.ASSESSOR), met_number=f"MET.000.{i:06d} 2020",
                                    registration_valid_until=timezone.localdate() - dt.timedelta(days=i + 1))
        a.schemes.add(scheme)
    client.force_login(admin_user)
    with django_assert_max_num_queries(12):
        resp = client.get(reverse("people:assessors"))
    assert resp.status_code == 200 and len(resp.context["page"].object_list) == 20
    resp = client.get(reverse("people:assessors"), {"validity": "valid"})
    assert list(resp.context["page"].object_list) == [assessor]
    resp = client.get(reverse("people:assessors"), {"q": "004512"})
    assert list(resp.context["page"].object_list) == [assessor]
    assert client.get(assessor.get_absolute_url()).status_code == 200


def test_registry_refuses_candidates(client, candidate, assessor):
    client.force_login(candidate)
    assert client.get(reverse("people:assessors")).status_code == 403
    assert client.get(assessor.get_absolute_url()).status_code == 403
