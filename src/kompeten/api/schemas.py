"""What the API reads and writes, as pydantic schemas (they are the OpenAPI document's components)."""

from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AfterValidator

from kompeten.cases.workflow import CaseStatus, EventStatus
from kompeten.certification.selectors import CertificateStatus


def _values(cls):
    return tuple(v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str))


CASE_STATUSES = _values(CaseStatus)
EVENT_STATUSES = _values(EventStatus)
CERTIFICATE_STATUSES = tuple(CertificateStatus.values)
CaseStatusValue = Literal[CASE_STATUSES]  # type: ignore[valid-type]
EventStatusValue = Literal[EVENT_STATUSES]  # type: ignore[valid-type]
CertificateStatusValue = Literal[CERTIFICATE_STATUSES]  # type: ignore[valid-type]
KBKValue = Literal["K", "BK"]

# Free text never carries a NUL (PostgreSQL refuses it): refused with 422 before anything runs.
TEXT = r"^[^\x00]*$"
CODE = r"^[A-Za-z0-9_-]+$"
MAX_ID = 2**31 - 1

# A date in a query: exactly YYYY-MM-DD (pydantic alone would also take "0" as 1 January 1970).
IsoDate = Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", json_schema_extra={"format": "date"},
                               description="YYYY-MM-DD"), AfterValidator(date.fromisoformat)]


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = Field(..., examples=["about:blank"])
    title: str = Field(..., examples=["Conflict"])
    status: int = Field(..., ge=400, le=599)
    detail: str
    instance: str | None = None
    errors: Any = Field(None, description="409: {field: [messages]}; 400/422: the places that do not fit.")


class UnitOut(Schema):
    code: str
    title: str
    standard_type: str


class SchemeRef(Schema):
    id: int
    code: str
    number: str
    title: str


class SchemeOut(SchemeRef):
    type: str
    kkni_level: int | None
    sector: str
    validity_years: int
    fee: int = Field(..., description="Biaya dalam rupiah.")
    is_active: bool
    units: list[UnitOut]


class SiteRef(Schema):
    code: str
    name: str
    city: str


class EventRef(Schema):
    id: int
    number: str
    starts_at: datetime


class EventOut(EventRef):
    title: str
    scheme: SchemeRef
    site: SiteRef | None
    ends_at: datetime
    quota: int
    status: EventStatusValue
    status_label: str


class ActOut(Schema):
    code: str
    label: str


class CaseOut(Schema):
    id: int
    number: str
    status: CaseStatusValue
    status_label: str
    scheme: SchemeRef
    candidate_name: str
    event: EventRef | None
    assessor_name: str | None
    created_at: datetime
    submitted_at: datetime | None
    updated_at: datetime


class CaseDetailOut(CaseOut):
    next_acts: list[ActOut] = Field(..., description="Tindakan yang boleh Anda lakukan sekarang (seperti tombol di layar).")


class UnitResultOut(Schema):
    code: str
    title: str
    result: KBKValue | None


class ResultOut(Schema):
    case_id: int
    recommendation: KBKValue | None = Field(..., description="Rekomendasi asesor (FR.AK.02): K hanya bila semua unit K.")
    units: list[UnitResultOut]


class CertificateOut(Schema):
    number: str
    holder_name: str
    scheme: SchemeRef
    issued_on: date
    valid_until: date
    status: CertificateStatusValue
    status_label: str
    verification_url: str
    credential_url: str


class ConsultationIn(Schema):
    notes: str = Field(..., max_length=5000, pattern=TEXT)


class ReviewItemIn(Schema):
    requirement_id: int = Field(..., ge=1, le=MAX_ID)
    present: bool
    meets: bool
    comment: str = Field("", max_length=500, pattern=TEXT)


class DocumentReviewIn(Schema):
    outcome: Literal["accepted", "returned", "not_accepted"]
    note: str = Field("", max_length=5000, pattern=TEXT)
    items: list[ReviewItemIn] = Field(..., max_length=200)
