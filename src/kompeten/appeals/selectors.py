"""How other apps (the desk) read appeals and complaints."""

from django.db.models import Q
from django.utils import timezone

from .models import Grievance

G = Grievance


def overdue_q(today=None):
    """Open items past their acknowledgement or resolution deadline."""
    today = today or timezone.localdate()
    return Q(status__in=G.OPEN) & (Q(due_on__lt=today) | Q(acknowledged_at__isnull=True, ack_due__lt=today))


def listing(*, q="", kind="", state="open", overdue=False, handler=None):
    """Appeals and complaints for the staff list: open first by deadline; search by number, name, e-mail,
    case number or certificate number."""
    qs = Grievance.objects.select_related("case", "handler")
    if kind in G.Kind.values:
        qs = qs.filter(kind=kind)
    if state == "open":
        qs = qs.filter(status__in=G.OPEN)
    elif state in G.Status.values:
        qs = qs.filter(status=state)
    if overdue:
        qs = qs.filter(overdue_q())
    if handler is not None:
        qs = qs.filter(handler=handler)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(name__icontains=q) | Q(email__icontains=q)
                       | Q(case__number__icontains=q) | Q(certificate_number__icontains=q) | Q(subject__icontains=q))
    return qs.order_by("due_on", "received_at", "pk") if state == "open" else qs.order_by("-received_at", "-pk")


def waiting_for(user, limit=10):
    """What waits for this person: open items they handle; for admin/LSP head also those without a handler or
    without an acknowledgement. Deadline first."""
    from .services import is_staff

    cond = Q(handler=user)
    if is_staff(user):
        cond |= Q(handler__isnull=True) | Q(acknowledged_at__isnull=True)
    return list(Grievance.objects.filter(cond, status__in=G.OPEN).select_related("case", "handler")
                .order_by("due_on", "pk")[:limit])


def of_person(user):
    """The appeals and complaints a person lodged (or that concern their own case), newest first."""
    return (Grievance.objects.filter(Q(lodged_by=user) | Q(kind=G.Kind.APPEAL, case__candidate=user))
            .select_related("case").distinct().order_by("-received_at", "-pk"))


def appeals_of_case(case):
    return list(Grievance.objects.filter(case=case, kind=G.Kind.APPEAL).select_related("handler")
                .order_by("-received_at"))


def counts():
    """Open, overdue and unassigned totals for the staff list header."""
    open_ = Grievance.objects.filter(status__in=G.OPEN)
    return {"open": open_.count(), "overdue": open_.filter(overdue_q()).count(),
            "unassigned": open_.filter(handler__isnull=True).count()}
