"""Indonesian conventions on screen: Rupiah, dates, status badges."""

from django import template
from django.utils.formats import date_format, number_format
from django.utils.html import format_html
from django.utils.timezone import localtime

register = template.Library()

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
def tanggal(value, fmt="j F Y"):
    """25 November 2026 (in the active language)."""
    if not value:
        return "—"
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        value = localtime(value)
    return date_format(value, fmt)


@register.filter
def waktu(value):
    """25 November 2026, 09.30"""
    if not value:
        return "—"
    return date_format(localtime(value), "j F Y, H.i")


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
