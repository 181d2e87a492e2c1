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
