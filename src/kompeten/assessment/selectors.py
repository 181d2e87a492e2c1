"""How other apps read what the assessor recorded: the FR.AK.02 record, its K/BK per unit, the FR.AK.05 report.

The committee (certification) reads the recommendation through these functions, never by reaching into
assessment models.
"""

from kompeten.assessment.models import KBK, AssessmentPlan, AssessmentRecord, Feedback, Report, Review
from kompeten.cases.selectors import people_involved as case_people_involved


def assessment_record(case):
    """The FR.AK.02 record of the case, with its unit results, or None before the assessor recorded it."""
    return (AssessmentRecord.objects.filter(case=case).select_related("recorded_by")
            .prefetch_related("units__unit").first())


def assessment_report(case):
    """The FR.AK.05 report of the case, or None before the assessor submitted it."""
    return Report.objects.filter(case=case).first()


def unit_recommendations(case, record=None):
    """[(unit, "K" / "BK" / None)] for every unit of the scheme, from the assessor's FR.AK.02 record."""
    record = record if record is not None else assessment_record(case)
    by_unit = {row.unit_id: row.result for row in record.units.all()} if record else {}
    return [(unit, by_unit.get(unit.pk)) for unit in case.scheme.units.all()]


def assessor_recommendation(case):
    """The assessor's overall recommendation "K" / "BK", or None when none is recorded.

    K only when the record says K *and* every unit of the scheme is K (DOMAIN §4)."""
    record = assessment_record(case)
    if record is None:
        return None
    if record.overall != KBK.K:
        return record.overall
    if any(value != KBK.K for _unit, value in unit_recommendations(case, record)):
        return KBK.BK
    return KBK.K


def people_involved(case):
    """Who took part in the assessment of the case, for the independence rule of appeals and complaints:
    {"assessed": {user ids}, "reviewed": {user ids}, "documents": {user ids}} — superseded records included
    (whoever assessed or reviewed a case once stays involved in it)."""
    involved = case_people_involved(case)
    involved["assessed"] |= set(AssessmentRecord.all_versions.filter(case=case).values_list("recorded_by", flat=True))
    involved["reviewed"] = set(Review.all_versions.filter(case=case).values_list("reviewed_by", flat=True))
    return involved


def approved_plan(event):
    """The approved version of the event's plan (FR.MAPA.01/02), or None."""
    if event is None:
        return None
    return AssessmentPlan.objects.filter(event=event, status=AssessmentPlan.Status.APPROVED).order_by("-version").first()


def feedback_of(case):
    """The current feedback record of the case (umpan balik), or None."""
    return Feedback.objects.filter(case=case).first()


def review_of(case):
    """The current FR.AK.06 review of the case, or None."""
    return Review.objects.filter(case=case).first()
