"""One way to write a date, everywhere: pages, PDFs, e-mails, notifications and messages.

    format_date(d)          1 Desember 2026            (English: 1 December 2026)
    format_date(d, weekday=True)   Selasa, 1 Desember 2026
    format_time(dt)         08.00 WIB                  (English: 08:00 WIB)
    format_datetime(dt)     1 Desember 2026, 08.00 WIB
    format_span(a, b)       1 Desember 2026, 08.00–16.00 WIB (same day) or two full date-times

The words follow the active language unless `language` is given (the BNSP forms are printed in Indonesian:
core.pdf passes language="id"). Aware date-times are shown in the local time zone (settings.TIME_ZONE), with
its abbreviation. Template filters `tanggal`, `hari`, `jam`, `waktu` and `rentang` (core/templatetags/kompeten.py)
are these functions. Date *inputs* are not written here: they always carry ISO values (core.forms).

This module is the only place that turns a date into words: a test forbids strftime, `|date:` and numeric
day-month-year formats anywhere else.
"""

import datetime as dt
from contextlib import nullcontext

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import lazy

DATE = "j F Y"
WEEKDAY_DATE = "l, j F Y"
# Indonesian writes the time with a dot (08.00, PUEBI); English with a colon.
TIME = {"id": "H.i"}
DEFAULT_TIME = "H:i"


def _language(language):
    return translation.override(language) if language else nullcontext()


def _local(value):
    """A date stays a date; a datetime is moved into local time; an ISO string is parsed."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return value


def format_date(value, *, weekday=False, language=None, empty=""):
    """1 Desember 2026 (or "Selasa, 1 Desember 2026" with weekday=True)."""
    if not value:
        return empty
    with _language(language):
        return date_format(_local(value), WEEKDAY_DATE if weekday else DATE)


def _zone(value):
    name = value.tzname() if isinstance(value, dt.datetime) else None
    return f" {name}" if name and name[0] not in "+-" else ""


def format_time(value, *, language=None, empty="", zone=True):
    """08.00 WIB (English: 08:00 WIB). The zone is that of settings.TIME_ZONE."""
    if not value:
        return empty
    value = _local(value)
    with _language(language):
        text = date_format(value, TIME.get(translation.get_language() or "", DEFAULT_TIME))
    return text + (_zone(value) if zone else "")


def format_datetime(value, *, language=None, empty=""):
    """1 Desember 2026, 08.00 WIB"""
    if not value:
        return empty
    return f"{format_date(value, language=language)}, {format_time(value, language=language)}"


def format_span(start, end, *, language=None, empty=""):
    """1 Desember 2026, 08.00–16.00 WIB; over several days, both ends in full."""
    if not start:
        return empty
    if not end:
        return format_datetime(start, language=language)
    a, b = _local(start), _local(end)
    if a.date() == b.date():
        return (f"{format_date(a, language=language)}, {format_time(a, language=language, zone=False)}–"
                f"{format_time(b, language=language)}")
    return f"{format_datetime(a, language=language)} – {format_datetime(b, language=language)}"


# For texts rendered later in someone else's language (notifications): the date is written when read.
format_date_lazy = lazy(format_date, str)


def format_bnsp_date(value, empty=""):
    """dd/mm/yyyy: the date as BNSP's blanko sheet wants it (Tanggal Lahir, Tanggal Uji), in no language."""
    if not value:
        return empty
    value = _local(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # dd/mm/yyyy
