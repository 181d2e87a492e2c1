"""How other apps read the catalogue: schemes, their requirements and elements."""

from django.shortcuts import get_object_or_404

from kompeten.catalog.models import Element, Requirement, Scheme

# The vocabulary of requirements (basic / administrative), for apps that print or group them.
RequirementKind = Requirement.Kind


def active_schemes():
    """Schemes open for application, by title."""
    return Scheme.objects.filter(is_active=True).order_by("title")


def all_schemes():
    return Scheme.objects.order_by("title")


def get_active_scheme(code):
    """The scheme open for application with this code (404 otherwise)."""
    return get_object_or_404(Scheme, code=code, is_active=True)


def schemes_by_ids(ids):
    return Scheme.objects.filter(pk__in=ids or [])


def requirements_of(scheme, **filters):
    """The scheme's requirements as printed on FR.APL.01: basic (3.1) first, then administrative (3.2)."""
    reqs = Requirement.objects.filter(scheme=scheme, **filters)
    return sorted(reqs, key=lambda r: (r.kind != Requirement.Kind.BASIC, r.order, r.pk))


def basic_are_alternatives(scheme):
    """True when the basic requirements are alternatives ("…, atau;"): one of them is enough."""
    return any(r.text.rstrip().rstrip(";,.").rstrip().lower().endswith("atau")
               for r in Requirement.objects.filter(scheme=scheme, kind=Requirement.Kind.BASIC))


def scheme_elements(scheme):
    return list(Element.objects.filter(unit__scheme=scheme).select_related("unit")
                .prefetch_related("criteria").order_by("unit__order", "unit_id", "order", "id"))


def fix_list(given, reqs, alternatives):
    """Requirement ids the candidate must fix: absent or not meeting. When the basic requirements are
    alternatives and one of them is met, the other (absent) alternatives are not asked for."""
    basic = Requirement.Kind.BASIC
    basic_met = any(i.get("present") and i.get("meets") for pk, i in given.items() if reqs[pk].kind == basic)
    return [pk for pk, i in given.items()
            if not (i.get("present") and i.get("meets"))
            and not (alternatives and basic_met and reqs[pk].kind == basic and not i.get("present"))]


def scheme_units(scheme):
    """The scheme's units of competency, in their order (as printed on the certificate)."""
    return list(scheme.units.order_by("order", "id"))


# The assessment tools (MUK) belong to the assessment app; it registers how many validated instrument versions
# a scheme has, for the feasibility review (events) that may not read assessment records.
_TOOLS = {}


def register_validated_tools(fn):
    """fn(scheme) → the number of validated instrument versions of the scheme (assessment app)."""
    _TOOLS["count"] = fn


def validated_tool_count(scheme):
    fn = _TOOLS.get("count")
    return fn(scheme) if fn else 0


def get_scheme(pk):
    """Any scheme by id (404 otherwise), for staff screens."""
    return get_object_or_404(Scheme, pk=pk)


def schemes_with_units(*, active_only=True):
    """Schemes (open for application only, unless `active_only` is False) with their units fetched, by title."""
    from django.db.models import Prefetch

    from kompeten.catalog.models import Unit

    qs = active_schemes() if active_only else all_schemes()
    return qs.prefetch_related(Prefetch("units", queryset=Unit.objects.order_by("order", "id")))
