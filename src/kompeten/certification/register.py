"""The certificate register: the staff's list (search, filters, XLSX export) and the public register (by number
or by holder name, showing only name, scheme, number and status)."""

import datetime as dt
import re

from django.db.models import Q
from django.utils import timezone

from kompeten.core import tabular

from .models import Certificate

S = Certificate.Status
STATUS_FILTERS = [S.ACTIVE, S.SUSPENDED, S.REVOKED, S.EXPIRED]
MIN_NAME_LETTERS = 3
PUBLIC_LIMIT = 20


def _int(value, low=None, high=None):
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if (low is not None and n < low) or (high is not None and n > high):
        return None
    return n


def staff_filters(params):
    """The filters as given (query-string values), cleaned: bad values are dropped, never a 500."""
    status = params.get("status", "")
    return {
        "q": (params.get("q") or "").strip()[:100],
        "scheme": _int(params.get("scheme"), 1),
        "status": status if status in STATUS_FILTERS else "",
        "year": _int(params.get("year"), 1990, 2200),
        "expiring": _int(params.get("expiring"), 1, 3650),
    }


def staff_register(filters):
    """Certificates matching the filters, newest first."""
    today = timezone.localdate()
    qs = Certificate.objects.select_related("scheme", "case").order_by("-issued_on", "-id")
    if filters["q"]:
        qs = qs.filter(Q(number__icontains=filters["q"]) | Q(holder_name__icontains=filters["q"])
                       | Q(bnsp_registration_number__icontains=filters["q"])
                       | Q(blanko_number__icontains=filters["q"]))
    if filters["scheme"]:
        qs = qs.filter(scheme_id=filters["scheme"])
    status = filters["status"]
    if status == S.ACTIVE:
        qs = qs.filter(status=S.ACTIVE, valid_until__gte=today)
    elif status == S.EXPIRED:
        qs = qs.filter(status=S.ACTIVE, valid_until__lt=today)
    elif status:
        qs = qs.filter(status=status)
    if filters["year"]:
        qs = qs.filter(issued_on__year=filters["year"])
    if filters["expiring"]:
        qs = qs.filter(status=S.ACTIVE, valid_until__gte=today,
                       valid_until__lte=today + dt.timedelta(days=filters["expiring"]))
    return qs


def issue_years():
    return sorted({d.year for d in Certificate.objects.dates("issued_on", "year")}, reverse=True)


XLSX_COLUMNS = ["Nomor sertifikat", "Nama pemegang", "Skema", "Nomor skema", "Tanggal terbit", "Berlaku sampai",
                "Status", "Nomor registrasi BNSP", "Nomor blanko", "Nomor permohonan"]


def export_rows(qs):
    """The register's rows in XLSX_COLUMNS order (for the CSV download through core.tabular)."""
    for cert in qs.iterator(chunk_size=1000):
        yield [cert.number, cert.holder_name, cert.scheme.title, cert.scheme.number, cert.issued_on,
               cert.valid_until, str(cert.current_status_label), cert.bnsp_registration_number,
               cert.blanko_number, cert.case.number]


def export_xlsx(qs):
    """The register as an Excel workbook (bytes): one row per certificate, dates as real dates, written the one
    way downloads are (core.tabular: a name starting with = is text, not a formula)."""
    return tabular.xlsx_bytes(XLSX_COLUMNS, export_rows(qs), title="Register sertifikat")


# --- the public register ---------------------------------------------------------------------------


def looks_like_number(q):
    return "/" in q or bool(re.search(r"\d", q))


def public_search(q):
    """(results, problem): a certificate number finds that certificate (exactly); a name of at least three
    letters finds holders whose name contains it. Each result: name, scheme, number, status — nothing else."""
    q = (q or "").strip()
    if looks_like_number(q):
        qs = Certificate.objects.filter(number__iexact=q)
    else:
        if len(re.sub(r"[^A-Za-zÀ-ÿ]", "", q)) < MIN_NAME_LETTERS:
            return [], "short"
        qs = Certificate.objects.filter(holder_name__icontains=q).order_by("holder_name", "number")
    return [{"name": c.holder_name, "scheme": c.scheme.title, "number": c.number,
             "status": c.current_status, "status_label": c.current_status_label}
            for c in qs.select_related("scheme")[:PUBLIC_LIMIT]], None
