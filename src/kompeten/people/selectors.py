"""How other apps read the assessor registry."""

from django.shortcuts import get_object_or_404

from kompeten.people.models import Assessor, normalise_employer  # noqa: F401 (offered: one way to compare employers)


def active_assessors():
    """Assessors on the registry who may still be assigned (their MET validity is checked on assignment)."""
    return Assessor.objects.filter(is_active=True).select_related("user")


def assessors_for_scheme(scheme):
    """Active assessors registered for the scheme, by name."""
    return (active_assessors().filter(schemes=scheme)
            .order_by("user__first_name", "user__last_name", "id"))


def assessors_by_ids(ids):
    return Assessor.objects.filter(pk__in=list(ids)).select_related("user")


def assessor_of(user):
    """The registry entry of a person, or None when they are not an assessor."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Assessor.objects.filter(user=user).select_related("user").first()


def get_assessor(pk):
    return get_object_or_404(Assessor.objects.select_related("user"), pk=pk)
