"""The REST API at /api/: what a token's person may see and do, through the same selectors and services
as the screens (an API call can do nothing its person could not do on a screen)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Path, Query, Router, Schema
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from ninja.pagination import PaginationBase, paginate
from ninja.security import HttpBearer

from kompeten.assessment import services as assessment_services
from kompeten.assessment.selectors import assessor_recommendation, unit_recommendations
from kompeten.cases import services as case_services
from kompeten.cases.selectors import case_visible_to, cases_visible_to
from kompeten.cases.workflow import allowed_acts
from kompeten.catalog.selectors import schemes_with_units
from kompeten.certification.selectors import certificates_of_cases, in_current_status
from kompeten.core.models import Role
from kompeten.events import services as event_services
from kompeten.events.selectors import events_visible_to

from . import problems
from .schemas import (
    CODE,
    MAX_ID,
    CaseDetailOut,
    CaseOut,
    CaseStatusValue,
    CertificateOut,
    CertificateStatusValue,
    ConsultationIn,
    DocumentReviewIn,
    EventOut,
    EventStatusValue,
    IsoDate,
    Problem,
    ResultOut,
    SchemeOut,
)
from .services import token_for_request

# Roles that see every scheme, also those closed for application (the master-data screens).
SCHEME_STAFF = {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE, Role.LEAD_ASSESSOR}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer kpt_…` — a personal token; the call runs as its person, within its scope."""

    def authenticate(self, request, token):
        found = token_for_request(token)
        if found is None:
            return None
        request.user = found.user
        request.api_token = found
        return found


class Page(PaginationBase):
    """limit/offset pagination: `count` is the number of items matching the filters."""

    class Input(Schema):
        limit: int = Field(20, ge=1, le=100, description="Jumlah item per halaman (1–100).")
        offset: int = Field(0, ge=0, le=1_000_000, description="Lewati sekian item pertama.")

    class Output(Schema):
        items: list[Any]
        count: int
        limit: int
        offset: int

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset, limit = pagination.offset, pagination.limit
        return {"items": list(queryset[offset:offset + limit]), "count": queryset.count(),
                "limit": limit, "offset": offset}


ERRORS = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}
ACT_ERRORS = {**ERRORS, 409: Problem}
ID = Path(..., ge=1, le=MAX_ID)


class KompetenAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return problems.fix_media_types(super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params))


api = KompetenAPI(
    title="Kompeten API",
    version="1",
    description=(
        "Skema, jadwal uji, permohonan beserta statusnya, hasil asesmen dan sertifikat — sebatas yang boleh "
        "dilihat pemilik token di layar. Autentikasi: `Authorization: Bearer <token>` (token dibuat di menu "
        "akun → Token API). Token *hanya baca* untuk integrasi; token *baca dan tindakan* untuk tindakan "
        "(konfirmasi jadwal, catatan konsultasi, kaji dokumen). Galat: RFC 9457 (application/problem+json)."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)


def _me(request):
    return request.auth.user


def _may_act(request):
    if not request.auth.can_act:
        raise HttpError(403, _("Token ini hanya untuk membaca. Buat token dengan cakupan “Baca dan tindakan” "
                               "untuk melakukan tindakan."))


def _case_or_404(request, case_id):
    case = case_visible_to(_me(request), case_id)
    if case is None:
        raise HttpError(404, _("Permohonan tidak ditemukan, atau Anda tidak berwenang melihatnya."))
    return case


# --- what each resource shows -----------------------------------------------------------------------------


def _scheme_ref(s):
    return {"id": s.pk, "code": s.code, "number": s.number, "title": s.title}


def _scheme(s):
    return {**_scheme_ref(s), "type": s.type, "kkni_level": s.kkni_level, "sector": s.sector,
            "validity_years": s.validity_years, "fee": int(s.fee), "is_active": s.is_active,
            "units": [{"code": u.code, "title": u.title, "standard_type": u.standard_type} for u in s.units.all()]}


def _event_ref(e):
    return {"id": e.pk, "number": e.number, "starts_at": e.starts_at}


def _event(e):
    site = {"code": e.site.code, "name": e.site.name, "city": e.site.city} if e.site_id else None
    return {**_event_ref(e), "title": e.title, "scheme": _scheme_ref(e.scheme), "site": site, "ends_at": e.ends_at,
            "quota": e.quota, "status": e.status, "status_label": str(e.get_status_display())}


def _case(c):
    return {"id": c.pk, "number": c.number, "status": c.status, "status_label": str(c.get_status_display()),
            "scheme": _scheme_ref(c.scheme), "candidate_name": c.candidate.display_name,
            "event": _event_ref(c.event) if c.event_id else None,
            "assessor_name": c.assessor.user.display_name if c.assessor_id else None,
            "created_at": c.created_at, "submitted_at": c.submitted_at, "updated_at": c.updated_at}


def _case_detail(c, user):
    return {**_case(c), "next_acts": [{"code": a.code, "label": str(a.button)} for a in allowed_acts(user, c)]}


def _certificate(cert):
    return {"number": cert.number, "holder_name": cert.holder_name, "scheme": _scheme_ref(cert.scheme),
            "issued_on": cert.issued_on, "valid_until": cert.valid_until, "status": cert.current_status,
            "status_label": str(cert.current_status_label),
            "verification_url": settings.SITE_URL + cert.get_absolute_url(),
            "credential_url": settings.SITE_URL + cert.get_credential_url()}


class Mapping:
    """A queryset that pagination slices and counts, whose items come out already shaped for the schema."""

    def __init__(self, queryset, fn):
        self.queryset, self.fn = queryset, fn

    def __getitem__(self, s):
        return [self.fn(row) for row in self.queryset[s]]

    def count(self):
        return self.queryset.count()


# --- schemes ---------------------------------------------------------------------------------------------

schemes = Router(tags=["Skema"])


@schemes.get("", response={200: list[SchemeOut], **ERRORS}, summary="Daftar skema dengan unitnya")
@paginate(Page)
def list_schemes(request: HttpRequest):
    """Skema yang dibuka untuk pendaftaran (staf LSP melihat juga yang tidak aktif), urut judul."""
    staff = bool(_me(request).role_set() & SCHEME_STAFF)
    return Mapping(schemes_with_units(active_only=not staff).order_by("title", "pk"), _scheme)


@schemes.get("/{code}", response={200: SchemeOut, **ERRORS}, summary="Satu skema")
def get_scheme(request: HttpRequest, code: str = Path(..., pattern=CODE, max_length=60)):
    staff = bool(_me(request).role_set() & SCHEME_STAFF)
    scheme = schemes_with_units(active_only=not staff).filter(code=code).first()
    if scheme is None:
        raise HttpError(404, _("Skema tidak ditemukan."))
    return _scheme(scheme)


# --- events ----------------------------------------------------------------------------------------------

events = Router(tags=["Jadwal uji"])


class EventFilter(Schema):
    status: EventStatusValue | None = None
    scheme: str | None = Field(None, pattern=CODE, max_length=60, description="Kode skema.")
    starts_from: IsoDate | None = Field(None, description="Mulai pada atau sesudah tanggal ini.")
    starts_to: IsoDate | None = Field(None, description="Mulai pada atau sebelum tanggal ini.")


@events.get("", response={200: list[EventOut], **ERRORS}, summary="Daftar jadwal uji")
@paginate(Page)
def list_events(request: HttpRequest, filters: Query[EventFilter]):
    """Staf LSP: semua; asesor: jadwal tugasnya; Ketua TUK: jadwal di TUK-nya; setiap orang: jadwal yang terbit
    dan belum mulai, serta jadwal permohonannya sendiri."""
    qs = events_visible_to(_me(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.scheme:
        qs = qs.filter(scheme__code=filters.scheme)
    if filters.starts_from:
        qs = qs.filter(starts_at__date__gte=filters.starts_from)
    if filters.starts_to:
        qs = qs.filter(starts_at__date__lte=filters.starts_to)
    return Mapping(qs.order_by("-starts_at", "-pk"), _event)


@events.get("/{event_id}", response={200: EventOut, **ERRORS}, summary="Satu jadwal uji")
def get_event(request: HttpRequest, event_id: int = ID):
    event = events_visible_to(_me(request)).filter(pk=event_id).first()
    if event is None:
        raise HttpError(404, _("Jadwal tidak ditemukan, atau Anda tidak berwenang melihatnya."))
    return _event(event)


# --- cases -----------------------------------------------------------------------------------------------

cases = Router(tags=["Permohonan"])


class CaseFilter(Schema):
    status: CaseStatusValue | None = None
    scheme: str | None = Field(None, pattern=CODE, max_length=60, description="Kode skema.")
    event: int | None = Field(None, ge=1, le=MAX_ID, description="ID jadwal uji.")
    submitted_from: IsoDate | None = Field(None, description="Diajukan pada atau sesudah tanggal ini.")
    submitted_to: IsoDate | None = Field(None, description="Diajukan pada atau sebelum tanggal ini.")


@cases.get("", response={200: list[CaseOut], **ERRORS}, summary="Daftar permohonan")
@paginate(Page)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]):
    """Asesi: permohonannya sendiri; asesor: permohonan yang ditugaskan kepadanya; Ketua TUK: permohonan di
    TUK-nya; Admin, komite, Ketua LSP, lead asesor: semua — aturan yang sama dengan layar."""
    qs = cases_visible_to(_me(request))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.scheme:
        qs = qs.filter(scheme__code=filters.scheme)
    if filters.event:
        qs = qs.filter(event_id=filters.event)
    if filters.submitted_from:
        qs = qs.filter(submitted_at__date__gte=filters.submitted_from)
    if filters.submitted_to:
        qs = qs.filter(submitted_at__date__lte=filters.submitted_to)
    return Mapping(qs.order_by("-created_at", "-pk"), _case)


@cases.get("/{case_id}", response={200: CaseDetailOut, **ERRORS}, summary="Satu permohonan dan statusnya")
def get_case(request: HttpRequest, case_id: int = ID):
    return _case_detail(_case_or_404(request, case_id), _me(request))


@cases.get("/{case_id}/results", response={200: ResultOut, **ERRORS},
           summary="Rekomendasi asesor per unit (FR.AK.02)")
def get_results(request: HttpRequest, case_id: int = ID):
    case = _case_or_404(request, case_id)
    return {"case_id": case.pk, "recommendation": assessor_recommendation(case),
            "units": [{"code": u.code, "title": u.title, "result": r} for u, r in unit_recommendations(case)]}


@cases.post("/{case_id}/confirm-schedule", response={200: CaseDetailOut, **ACT_ERRORS},
            summary="Konfirmasi jadwal (asesi atau asesor permohonan)")
def confirm_schedule(request: HttpRequest, case_id: int = ID):
    """Sama dengan tombol “Konfirmasi jadwal”: hanya pada status *scheduled*, sekali untuk setiap pihak."""
    _may_act(request)
    case = _case_or_404(request, case_id)
    event_services.confirm_schedule(case, _me(request))
    return _case_detail(case_visible_to(_me(request), case.pk), _me(request))


@cases.post("/{case_id}/consultation", response={200: CaseDetailOut, **ACT_ERRORS},
            summary="Catat konsultasi pra-asesmen (asesor permohonan)")
def record_consultation(request: HttpRequest, payload: ConsultationIn, case_id: int = ID):
    _may_act(request)
    case = _case_or_404(request, case_id)
    assessment_services.record_consultation(case, _me(request), notes=payload.notes)
    return _case_detail(case_visible_to(_me(request), case.pk), _me(request))


@cases.post("/{case_id}/document-review", response={200: CaseDetailOut, **ACT_ERRORS},
            summary="Kaji dokumen (Admin LSP, S2.1)")
def review_documents(request: HttpRequest, payload: DocumentReviewIn, case_id: int = ID):
    """Setiap persyaratan skema diperiksa (ada / memenuhi / komentar); hasil: diterima, dikembalikan untuk
    perbaikan (perlu catatan dan minimal satu butir yang tidak memenuhi) atau tidak diterima (perlu alasan)."""
    _may_act(request)
    case = _case_or_404(request, case_id)
    case_services.review_documents(case, _me(request), items=[i.dict() for i in payload.items],
                                   outcome=payload.outcome, note=payload.note)
    return _case_detail(case_visible_to(_me(request), case.pk), _me(request))


# --- certificates ----------------------------------------------------------------------------------------

certificates = Router(tags=["Sertifikat"])


class CertificateFilter(Schema):
    status: CertificateStatusValue | None = None
    scheme: str | None = Field(None, pattern=CODE, max_length=60, description="Kode skema.")
    issued_from: IsoDate | None = None
    issued_to: IsoDate | None = None


@certificates.get("", response={200: list[CertificateOut], **ERRORS}, summary="Daftar sertifikat (data publik)")
@paginate(Page)
def list_certificates(request: HttpRequest, filters: Query[CertificateFilter]):
    """Sertifikat dari permohonan yang boleh Anda lihat, dengan data yang juga tampil di halaman verifikasi
    publik (tanpa NIK, tanpa alamat)."""
    qs = certificates_of_cases(cases_visible_to(_me(request)))
    if filters.scheme:
        qs = qs.filter(scheme__code=filters.scheme)
    if filters.issued_from:
        qs = qs.filter(issued_on__gte=filters.issued_from)
    if filters.issued_to:
        qs = qs.filter(issued_on__lte=filters.issued_to)
    if filters.status:  # "expired" is computed from the date, as on the verification page
        qs = in_current_status(qs, filters.status)
    return Mapping(qs, _certificate)


api.add_router("/schemes", schemes)
api.add_router("/events", events)
api.add_router("/cases", cases)
api.add_router("/certificates", certificates)
