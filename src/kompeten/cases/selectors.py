"""How other apps read cases: the one place that knows how a case is stored and related.

Apps above `cases` (events, assessment, certification, desk) read cases through these functions rather than
through `Case.objects` with their own guesses at field names.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from kompeten.cases.models import (  # noqa: F401 (Purpose: offered)
    Application,
    Case,
    Document,
    DocumentReview,
    Purpose,
    SelfAssessmentAnswer,
)
from kompeten.cases.workflow import CaseStatus
from kompeten.core.actions import history
from kompeten.core.models import Role

# Statuses after which a case is over: a candidate may apply again for the same scheme.
FINAL_STATUSES = {"not_accepted", "withdrawn", "not_continued", "not_competent", "certified", "surveillance"}


def niks_in_use(niks):
    """The given NIKs that an application on record already carries (any case, any status)."""
    wanted = sorted({n for n in niks if n})
    found = set()
    for i in range(0, len(wanted), 500):
        found.update(Application.objects.filter(nik__in=wanted[i:i + 500]).values_list("nik", flat=True))
    return found


def get_case(pk, *related):
    """The case `pk` (404 when there is none), with the relations the caller will show fetched in the query."""
    return get_object_or_404(Case.objects.select_related("candidate", "scheme", *related), pk=pk)


def cases_of_candidate(user):
    """A candidate's own applications, newest first."""
    return (Case.objects.filter(candidate=user).select_related("scheme", "event")
            .order_by("-updated_at", "-pk"))


def open_case_of(user, scheme):
    """The candidate's application for this scheme that is still running, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Case.objects.filter(candidate=user, scheme=scheme).exclude(status__in=FINAL_STATUSES)
            .order_by("-pk").first())


def _scope(user, role):
    """The cases a person may hold `role` on (the object-level relation; staff roles see every case)."""
    if role == Role.CANDIDATE:
        return Q(candidate=user)
    if role == Role.ASSESSOR:
        return Q(assessor__user=user)
    if role == Role.TUK_HEAD:
        return Q(event__site__role_assignments__user=user, event__site__role_assignments__role=Role.TUK_HEAD)
    if role == Role.COMMITTEE:
        return ~Q(assessor__user=user)
    return Q()


def cases_in_reach(user, role, statuses, limit=25):
    """Cases in `statuses` on which `user` holds `role`, the longest-waiting first (for work queues)."""
    return (Case.objects.filter(_scope(user, role), status__in=statuses)
            .select_related("candidate", "scheme", "event__site", "assessor__user").distinct()
            .order_by("updated_at", "pk")[:limit])


def is_case(obj):
    return isinstance(obj, Case)


def cases_placed_or_waiting(event):
    """The cases of an event's candidates: placed in it, or accepted and waiting for a schedule in its scheme
    (the candidates an assessor may declare a conflict of interest with)."""
    return (Case.objects.filter(Q(event=event) | Q(status=CaseStatus.ACCEPTED, scheme=event.scheme))
            .exclude(status=CaseStatus.WITHDRAWN).select_related("candidate").order_by("number"))


def lock_cases_of_event(event):
    """The event's placed (not withdrawn) cases, locked for the caller's transaction, with the people in them."""
    ids = list(Case.objects.select_for_update().filter(event=event).exclude(status=CaseStatus.WITHDRAWN)
               .values_list("pk", flat=True))
    return list(Case.objects.filter(pk__in=ids).select_related("candidate", "assessor__user").order_by("number"))


def cases_of_event(event, *related):
    """The cases placed in an assessment event."""
    return Case.objects.filter(event=event).select_related("candidate", "scheme", *related).order_by("number")


def self_assessment(case):
    """The candidate's FR.APL.02 answers, per element in the scheme's order, with their evidence."""
    return (SelfAssessmentAnswer.objects.filter(case=case).select_related("element__unit")
            .prefetch_related("evidence"))


def current_documents(case):
    """The candidate's uploaded evidence, current versions only (a replaced file is left out), oldest first,
    each with the APL.02 elements it was linked to prefetched (`answers`)."""
    return list(Document.objects.filter(case=case, next_version__isnull=True).select_related("requirement")
                .prefetch_related("answers__element").order_by("uploaded_at", "id"))


def application_of(case):
    """The candidate's FR.APL.01 data, or None before they started it."""
    return Application.objects.filter(case=case).first()


def people_involved(case):
    """Who took part in the case so far, as the cases app knows it: {"assessed": {user ids} (its assessor now
    and any assessor it was ever scheduled with), "documents": {user ids} (the admins who reviewed its
    documents, S2.1)}. The assessment and certification apps add what they record (reviews, decisions)."""
    assessed = set()
    if case.assessor_id:
        assessed.add(case.assessor.user_id)
    for data in history(case).filter(act="schedule_case").values_list("data", flat=True):
        if isinstance(data, dict) and data.get("assessor_user_id"):
            assessed.add(data["assessor_user_id"])
    reviewers = set(DocumentReview.objects.filter(case=case).values_list("reviewer", flat=True))
    return {"assessed": assessed, "documents": reviewers}


def cases_with_status(statuses, limit=200):
    """Every case in `statuses`, the longest-waiting first (e.g. the agenda of a plenary meeting)."""
    return (Case.objects.filter(status__in=statuses)
            .select_related("candidate", "scheme", "event__site", "assessor__user")
            .order_by("updated_at", "pk")[:limit])


def photo_of(case):
    """The candidate's pas foto uploaded with APL.01 (the current image document for the requirement whose text
    mentions a photo), or None."""
    docs = (Document.objects.filter(case=case, requirement__text__icontains="foto", next_version__isnull=True,
                                    content_type__in=("image/png", "image/jpeg"))
            .order_by("-uploaded_at", "-id"))
    return docs.first()


def cases_visible_to(user):
    """Every case the person may open on the screens (cases.access.can_view as a query): their own as a
    candidate, plus the staff list's rule (all for admin/committee/LSP head/lead assessor, the assessor's
    own cases, the cases at a TUK head's TUK)."""
    from kompeten.cases.access import visible_cases

    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    staff = visible_cases(user)
    return (Case.objects.filter(Q(candidate=user) | Q(pk__in=staff.values("pk")))
            .select_related("candidate", "scheme", "event__site", "assessor__user"))


def case_visible_to(user, pk):
    """The case `pk` when the person may open it (cases.access.can_view), else None — the same for a case
    that does not exist, so a caller cannot tell another person's case from none."""
    from kompeten.cases.access import can_view

    case = Case.objects.select_related("candidate", "scheme", "event__site", "assessor__user").filter(pk=pk).first()
    return case if case is not None and can_view(user, case) else None
