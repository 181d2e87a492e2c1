"""Who may see which case: the candidate, and staff whose role needs it (same rule for list and page)."""

from django.db.models import Q

from kompeten.cases.models import Case
from kompeten.core.models import Role

ALL_CASES_ROLES = {Role.ADMIN, Role.COMMITTEE, Role.LSP_HEAD, Role.LEAD_ASSESSOR}
STAFF_ROLES = ALL_CASES_ROLES | {Role.ASSESSOR, Role.TUK_HEAD}
# Personal documents: only the roles that need them (DOMAIN §4). Lead assessors review the process, not files.
DOCUMENT_ROLES = {Role.ADMIN, Role.COMMITTEE, Role.LSP_HEAD}


def staff_roles(user):
    return user.role_set() & STAFF_ROLES if user.is_authenticated else set()


def visible_cases(user):
    """Cases on the staff list: all for admin/committee/LSP head/lead assessor, the assessor's own cases,
    the cases held at a TUK head's TUK."""
    roles = staff_roles(user)
    if roles & ALL_CASES_ROLES:
        return Case.objects.all()
    q = Q(pk__in=[])
    if Role.ASSESSOR in roles:
        q |= Q(assessor__user=user)
    if Role.TUK_HEAD in roles:
        sites = user.roles.filter(role=Role.TUK_HEAD, site__isnull=False).values("site_id")
        q |= Q(event__site_id__in=sites)
    return Case.objects.filter(q)


def _tuk_head_of(user, case):
    return (case.event_id and case.event.site_id and Role.TUK_HEAD in user.role_set()
            and user.roles.filter(role=Role.TUK_HEAD, site_id=case.event.site_id).exists())


def _assessor_of(user, case):
    return Role.ASSESSOR in user.role_set() and case.assessor_id and case.assessor.user_id == user.pk


def can_view(user, case):
    if not user.is_authenticated:
        return False
    if case.candidate_id == user.pk:
        return True
    roles = user.role_set()
    return bool(roles & ALL_CASES_ROLES) or bool(_assessor_of(user, case)) or bool(_tuk_head_of(user, case))


def can_see_documents(user, case):
    """The candidate, admin, LSP head, committee, the case's assessor and the head of the case's TUK."""
    if not user.is_authenticated:
        return False
    if case.candidate_id == user.pk:
        return True
    return bool(user.role_set() & DOCUMENT_ROLES) or bool(_assessor_of(user, case)) or bool(_tuk_head_of(user, case))


def nik_search(user, text):
    """A filter matching cases whose NIK is exactly `text` (16 digits), limited to the cases whose personal
    file the user may see; None when `text` is not a NIK or the user may search no NIK. Never a substring:
    a partial NIK must not confirm digits one at a time."""
    if not (len(text) == 16 and text.isascii() and text.isdigit()) or not user.is_authenticated:
        return None
    roles = staff_roles(user)
    if roles & DOCUMENT_ROLES:
        return Q(application__nik=text)
    scope = Q(pk__in=[])
    if Role.ASSESSOR in roles:
        scope |= Q(assessor__user=user)
    if Role.TUK_HEAD in roles:
        sites = user.roles.filter(role=Role.TUK_HEAD, site__isnull=False).values("site_id")
        scope |= Q(event__site_id__in=sites)
    return Q(application__nik=text) & scope
