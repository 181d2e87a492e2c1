"""How other apps read the certification records: the current decision, certificates, who decided."""

from kompeten.assessment.selectors import people_involved as assessment_people_involved

from .models import Certificate, Decision


def current_decision(case):
    """The committee's decision in force for the case (a superseded one is not), or None."""
    return Decision.objects.filter(case=case).select_related("decided_by").first()


def decisions_of(case):
    """Every decision ever made on the case, newest first (superseded ones included)."""
    return Decision.all_versions.filter(case=case).select_related("decided_by").order_by("-decided_at", "-pk")


def certificate_by_number(number):
    """The certificate with this exact number, or None."""
    number = (number or "").strip()
    return Certificate.objects.select_related("case", "scheme").filter(number=number).first() if number else None


def deciders_of(case):
    """The user ids of everyone who decided on the case (every decision, superseded ones included)."""
    return set(Decision.all_versions.filter(case=case).values_list("decided_by", flat=True))


def people_involved(case):
    """Everyone who took part in the case, by kind of involvement (user ids): "assessed", "reviewed" (FR.AK.06),
    "documents" (document review, S2.1) and "decided" (the committee, every decision ever made)."""
    involved = assessment_people_involved(case)
    involved["decided"] = deciders_of(case)
    return involved


# The vocabulary of a certificate's status (expired is computed from the date), for apps that filter by it.
CertificateStatus = Certificate.Status


def certificates_of_cases(cases):
    """The certificates issued on these cases (a queryset of cases), newest first, with their scheme."""
    return Certificate.objects.filter(case__in=cases).select_related("scheme").order_by("-issued_at", "-pk")


def in_current_status(certificates, status):
    """Filter certificates by the status as it reads everywhere (Certificate.current_status): an active one
    past its valid_until date is expired."""
    from django.utils import timezone

    today = timezone.localdate()
    if status == Certificate.Status.EXPIRED:
        return certificates.filter(status=Certificate.Status.ACTIVE, valid_until__lt=today)
    if status == Certificate.Status.ACTIVE:
        return certificates.filter(status=status, valid_until__gte=today)
    return certificates.filter(status=status)
