"""Indonesian conventions on screen: Rupiah, dates, status badges."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from kompeten.core.dates import format_date, format_datetime, format_span, format_time

register = template.Library()


@register.simple_tag
def request_id():
    """The id of the request being answered (core.middleware.RequestIdMiddleware); the 500 page shows it."""
    from kompeten.core.observability import current_request_id

    return current_request_id()

STATUS_COLOURS = {
    "draft": "secondary", "submitted": "info", "revision": "warning", "not_accepted": "danger",
    "accepted": "primary", "scheduled": "info", "confirmed": "primary", "agreed": "primary",
    "ready": "primary", "not_continued": "danger", "in_assessment": "warning", "assessed": "info",
    "reviewed": "info", "reported": "info", "awaiting_decision": "warning", "competent": "success",
    "not_competent": "danger", "certified": "success", "surveillance": "success", "withdrawn": "secondary",
    "published": "success", "held": "info", "closed": "secondary", "cancelled": "danger",
    "active": "success", "suspended": "warning", "revoked": "danger", "expired": "secondary",
}


@register.filter
def rupiah(value):
    if value in (None, ""):
        return "—"
    return "Rp " + number_format(value, decimal_pos=0, use_l10n=True, force_grouping=True)


@register.filter
def tanggal(value):
    """1 Desember 2026 (core.dates.format_date, in the active language)."""
    return format_date(value, empty="—")


@register.filter
def hari(value):
    """Selasa, 1 Desember 2026"""
    return format_date(value, weekday=True, empty="—")


@register.filter
def jam(value):
    """08.00 WIB"""
    return format_time(value, empty="—")


@register.filter
def waktu(value):
    """1 Desember 2026, 08.00 WIB"""
    return format_datetime(value, empty="—")


@register.filter
def rentang(start, end):
    """{{ event.starts_at|rentang:event.ends_at }} → 1 Desember 2026, 08.00–16.00 WIB"""
    return format_span(start, end, empty="—")


@register.simple_tag
def status_badge(obj):
    colour = STATUS_COLOURS.get(obj.status, "secondary")
    text_class = " text-dark" if colour in {"warning", "info"} else ""
    return format_html('<span class="badge status-badge text-bg-{}{}">{}</span>', colour, text_class, obj.get_status_display())


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some keys replaced (for paging and filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode() if query else "?"


@register.filter
def masked(value):
    """An identifier (NIK, passport) masked for lists: 3273••••••••0001."""
    from kompeten.core.privacy import mask_identifier

    return mask_identifier(value)
