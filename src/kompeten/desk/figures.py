"""The dashboard's figures: each one aggregate query (GROUP BY in the database), never a loop over every row, so a
dashboard over years of candidates costs the same few queries as over one month. The desk reads every app's
records (it owns none); the filters are a period (from, to: dates, inclusive) and an optional scheme.

Which date puts a record in the period: a case its creation (the application); a decision its decision time; an
AK.02 record its last assessment day; a certificate its issue date; an event its start. Expiring certificates and
overdue surveillance look from today, whatever the period.
"""

import datetime as dt

from django.db.models import Avg, Count, F, FloatField, Func, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.models import UnitResult
from kompeten.cases.models import Case
from kompeten.cases.workflow import CaseStatus as S
from kompeten.certification.models import Certificate, Decision, SurveillanceCheck
from kompeten.events.models import AssessmentEvent

# The SOP's stages as a manager reads them, each a group of case statuses, in order.
STAGES = [
    ("application", _("Permohonan & kaji dokumen"), [S.DRAFT, S.SUBMITTED, S.REVISION]),
    ("scheduling", _("Diterima & penjadwalan"), [S.ACCEPTED, S.SCHEDULED, S.CONFIRMED, S.AGREED, S.READY]),
    ("assessment", _("Asesmen & laporan"), [S.IN_ASSESSMENT, S.ASSESSED, S.REVIEWED, S.REPORTED]),
    ("decision", _("Keputusan komite"), [S.AWAITING_DECISION, S.COMPETENT]),
    ("certified", _("Bersertifikat"), [S.CERTIFIED, S.SURVEILLANCE]),
    ("stopped", _("Berhenti (BK, tidak diterima, ditarik)"), [S.NOT_COMPETENT, S.NOT_ACCEPTED, S.NOT_CONTINUED,
                                                               S.WITHDRAWN]),
]
# Days from submitting the application to the certificate, in buckets.
TIME_BUCKETS = [(30, _("≤ 30 hari")), (60, _("31–60 hari")), (90, _("61–90 hari")), (None, _("> 90 hari"))]
EXPIRY_MONTHS = 12


def default_period(today=None):
    today = today or timezone.localdate()
    return today - dt.timedelta(days=365), today


def _aware(day, end=False):
    moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time.min)
    return timezone.make_aware(moment)


def _in_period(field, f, *, datetime=True):
    start, end = f["start"], f["end"]
    if datetime:
        return Q(**{f"{field}__gte": _aware(start), f"{field}__lt": _aware(end, end=True)})
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _scheme(path, f):
    return Q(**{path: f["scheme"]}) if f.get("scheme") else Q()


def _rate(k, total):
    return round(100 * k / total, 1) if total else None


def candidates_by_stage(f):
    """Cases created in the period, counted per SOP stage (and per status)."""
    counts = dict(Case.objects.filter(_in_period("created_at", f), _scheme("scheme_id", f))
                  .values_list("status").annotate(n=Count("id")).order_by())
    return [{"code": code, "label": label, "value": sum(counts.get(s, 0) for s in statuses),
             "statuses": {s: counts.get(s, 0) for s in statuses}} for code, label, statuses in STAGES]


def pass_rate_by_scheme(f):
    """Current committee decisions taken in the period, K among all, per scheme."""
    rows = (Decision.objects.filter(_in_period("decided_at", f), _scheme("case__scheme_id", f))
            .values("case__scheme_id", "case__scheme__title")
            .annotate(total=Count("id"), k=Count("id", filter=Q(decision="K"))).order_by("case__scheme__title"))
    return [{"label": r["case__scheme__title"], "k": r["k"], "total": r["total"], "value": _rate(r["k"], r["total"])}
            for r in rows]


def pass_rate_by_unit(f):
    """The assessors' current K/BK per unit (FR.AK.02), for records whose assessment ended in the period."""
    rows = (UnitResult.objects.filter(record__superseded_at__isnull=True,
                                      **{"record__finished_on__gte": f["start"], "record__finished_on__lte": f["end"]})
            .filter(_scheme("record__case__scheme_id", f))
            .values("unit__code", "unit__title")
            .annotate(total=Count("id"), k=Count("id", filter=Q(result="K"))).order_by("unit__code"))
    return [{"label": f"{r['unit__code']} {r['unit__title']}", "code": r["unit__code"], "k": r["k"],
             "total": r["total"], "value": _rate(r["k"], r["total"])} for r in rows]


class DaysBetween(Func):
    """Days (fractional) from `start` to `end`, two date-times, counted by the database itself (SQLite's julianday,
    PostgreSQL's epoch): Django's generic datetime difference on SQLite calls back into Python for every row."""

    output_field = FloatField()

    def __init__(self, end, start):
        super().__init__(end, start)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))",
                           arg_joiner=") - julianday(", **extra)

    def as_sql(self, compiler, connection, **extra):
        extra.setdefault("template", "(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)")
        extra.setdefault("arg_joiner", " - ")
        return super().as_sql(compiler, connection, **extra)


def _durations(f):
    return (Certificate.objects.filter(_in_period("issued_on", f, datetime=False), _scheme("scheme_id", f),
                                       case__submitted_at__isnull=False)
            .annotate(took=DaysBetween(F("issued_at"), F("case__submitted_at"))))


def time_to_certificate(f):
    """From submitting the application to the certificate, for certificates issued in the period: count, mean,
    shortest and longest (days), and how many fall in each bucket."""
    buckets, low = {}, None
    for i, (high, _label) in enumerate(TIME_BUCKETS):
        cond = Q()
        if low is not None:
            cond &= Q(took__gt=low)
        if high is not None:
            cond &= Q(took__lte=high)
        buckets[f"b{i}"] = Count("id", filter=cond)
        low = high
    agg = _durations(f).aggregate(n=Count("id"), mean=Avg("took"), shortest=Min("took"), longest=Max("took"),
                                  **buckets)

    def days(value):
        return round(value, 1) if value is not None else None

    return {"count": agg["n"], "mean_days": days(agg["mean"]), "min_days": days(agg["shortest"]),
            "max_days": days(agg["longest"]),
            "buckets": [{"label": label, "value": agg[f"b{i}"]} for i, (_h, label) in enumerate(TIME_BUCKETS)]}


def assessor_workload(f):
    """Per assessor, for events starting in the period: candidates assigned, candidates with a current AK.02
    record (assessed), events and assessment days (the fee basis)."""
    rows = (Case.objects.filter(_in_period("event__starts_at", f), _scheme("scheme_id", f), assessor__isnull=False)
            .values("assessor_id", "assessor__met_number", "assessor__user__first_name", "assessor__user__last_name",
                    "assessor__user__username")
            .annotate(cases=Count("id", distinct=True),
                      assessed=Count("id", distinct=True, filter=Q(assessment_records__isnull=False,
                                                                   assessment_records__superseded_at__isnull=True)),
                      events=Count("event_id", distinct=True),
                      days=Count(TruncDate("event__starts_at"), distinct=True))
            .order_by("-cases", "assessor__user__first_name"))
    out = []
    for r in rows:
        name = " ".join(x for x in (r["assessor__user__first_name"], r["assessor__user__last_name"]) if x)
        out.append({"label": name or r["assessor__user__username"], "met": r["assessor__met_number"],
                    "value": r["cases"], "cases": r["cases"], "assessed": r["assessed"], "events": r["events"],
                    "days": r["days"]})
    return out


def tuk_use(f):
    """Per TUK, for events starting in the period: events held there and candidates placed."""
    rows = (AssessmentEvent.objects.filter(_in_period("starts_at", f), _scheme("scheme_id", f), site__isnull=False)
            .values("site_id", "site__code", "site__name")
            .annotate(events=Count("id", distinct=True), candidates=Count("cases", distinct=True))
            .order_by("-events", "site__name"))
    return [{"label": r["site__name"], "code": r["site__code"], "value": r["events"], "events": r["events"],
             "candidates": r["candidates"]} for r in rows]


def certificates_expiring(f, today=None):
    """Active certificates whose validity ends within the next twelve months, per month (the period filter does not
    apply: this looks ahead from today)."""
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=365)
    qs = Certificate.objects.filter(_scheme("scheme_id", f), status=Certificate.Status.ACTIVE,
                                    valid_until__gte=today, valid_until__lt=end)
    per_month = dict(qs.annotate(month=TruncMonth("valid_until")).values_list("month")
                     .annotate(n=Count("id")).order_by())
    months = []
    y, m = today.year, today.month
    for _i in range(EXPIRY_MONTHS + 1):
        first = dt.date(y, m, 1)
        months.append({"month": first, "value": per_month.get(first, 0)})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    within_90 = qs.filter(valid_until__lt=today + dt.timedelta(days=90)).count()
    return {"months": [x for x in months if x["month"] < end], "within_90": within_90, "total": sum(per_month.values())}


def surveillance_overdue(f, today=None):
    """Surveillance checks past their due date with no evidence yet, per scheme (looks from today)."""
    today = today or timezone.localdate()
    rows = (SurveillanceCheck.objects.filter(_scheme("surveillance__certificate__scheme_id", f),
                                             status=SurveillanceCheck.Status.DUE, due_on__lt=today)
            .values("surveillance__certificate__scheme__title").annotate(n=Count("id"))
            .order_by("surveillance__certificate__scheme__title"))
    return [{"label": r["surveillance__certificate__scheme__title"], "value": r["n"]} for r in rows]


def headline(f):
    """The few numbers at the top: applications, decisions (K share), certificates issued in the period."""
    cases = Case.objects.filter(_in_period("created_at", f), _scheme("scheme_id", f)).aggregate(
        n=Count("id"), submitted=Count("id", filter=Q(submitted_at__isnull=False)))
    decided = Decision.objects.filter(_in_period("decided_at", f), _scheme("case__scheme_id", f)).aggregate(
        n=Count("id"), k=Count("id", filter=Q(decision="K")))
    issued = Certificate.objects.filter(_in_period("issued_on", f, datetime=False), _scheme("scheme_id", f)).count()
    return {"cases": cases["n"], "submitted": cases["submitted"], "decided": decided["n"], "k": decided["k"],
            "pass_rate": _rate(decided["k"], decided["n"]), "issued": issued}


# --- the rows of the exports ---------------------------------------------------------------------------


def candidate_rows(f):
    """Cases created in the period (one query): the candidates per scheme and period export."""
    decision = Decision.objects.filter(case=OuterRef("pk")).values("decision")[:1]
    return (Case.objects.filter(_in_period("created_at", f), _scheme("scheme_id", f))
            .annotate(decision=Subquery(decision))
            .values("number", "application__full_name", "candidate__first_name", "candidate__last_name",
                    "application__nik", "application__passport_number", "scheme__title", "scheme__number",
                    "purpose", "status", "created_at", "submitted_at", "event__number", "event__site__name",
                    "assessor__user__first_name", "assessor__user__last_name", "decision", "certificate__number")
            .order_by("scheme__title", "created_at", "id"))
