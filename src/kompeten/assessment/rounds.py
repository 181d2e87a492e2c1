"""Assessment rounds of a case. The first assessment is round 1; an upheld appeal that orders the assessment done
again (certification.reopen_for_assessment → services.retire_assessment) opens round 2, and so on.

The day's evidence — the assessor's results on the plan's items (ItemResult) and the written test
(WrittenAttempt) — carries its round. Only the current round's is filled, saved and rolled up into FR.AK.02; an
earlier round's is never changed again and stays readable and printable (the IA prints take a round)."""

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.models import AssessmentRound
from kompeten.core.errors import WorkflowError


def current_round(case):
    """The number of the case's current assessment round (1 until a new assessment is ordered)."""
    return AssessmentRound.objects.filter(case=case).aggregate(n=Max("number"))["n"] or 1


def rounds_of(case):
    """[{"number", "current", "opened_at", "reason"}] of every round of the case, oldest first."""
    opened = {r.number: r for r in AssessmentRound.objects.filter(case=case)}
    last = max(opened, default=1)
    return [{"number": n, "current": n == last, "opened_at": opened[n].opened_at if n in opened else None,
             "reason": opened[n].reason if n in opened else ""} for n in range(1, last + 1)]


def check_round(case, number):
    """`number` as a round of this case, or a clear refusal."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= current_round(case):
        raise WorkflowError(_("Putaran asesmen ini tidak ada pada permohonan ini."))
    return number


def open_round(case, actor=None, reason=""):
    """Inside the act that reopens the case for a new assessment: a new round, after the current one."""
    return AssessmentRound.objects.create(case=case, number=current_round(case) + 1, opened_by=actor,
                                          reason=(reason or "").strip())
