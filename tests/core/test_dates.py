"""One way to write a date: core.dates for pages, PDFs, notifications and messages; ISO in date inputs."""

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from kompeten.core.dates import format_date, format_datetime, format_span, format_time
from kompeten.core.forms import BootstrapMixin
from kompeten.core.models import Notification, User
from kompeten.core.pdf import fmt_date, fmt_datetime

SRC = Path(settings.BASE_DIR)
JAKARTA = dt.timezone(dt.timedelta(hours=7))
DAY = dt.date(2026, 12, 1)
MORNING = dt.datetime(2026, 12, 1, 8, 0, tzinfo=JAKARTA)


def pdf_text(content):
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages).split())


def english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


# --- the one function -------------------------------------------------------------------------------------


def test_dates_in_words_in_both_languages():
    assert format_date(DAY) == "1 Desember 2026"
    assert format_date(DAY, weekday=True) == "Selasa, 1 Desember 2026"
    assert format_datetime(MORNING) == "1 Desember 2026, 08.00 WIB"
    assert format_time(MORNING) == "08.00 WIB"
    assert format_span(MORNING, MORNING + dt.timedelta(hours=8)) == "1 Desember 2026, 08.00–16.00 WIB"
    assert format_span(MORNING, MORNING + dt.timedelta(days=1)) == (
        "1 Desember 2026, 08.00 WIB – 2 Desember 2026, 08.00 WIB")
    with translation.override("en"):
        assert format_date(DAY) == "1 December 2026"
        assert format_date(DAY, weekday=True) == "Tuesday, 1 December 2026"
        assert format_datetime(MORNING) == "1 December 2026, 08:00 WIB"
    assert format_date(DAY, language="en") == "1 December 2026"
    assert format_date(None) == "" and format_datetime(None, empty="—") == "—"


def test_a_utc_time_is_written_in_local_time():
    utc = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)  # 00.30 WIB on 1 December
    assert format_datetime(utc) == "1 Desember 2026, 00.30 WIB"
    assert format_date(utc) == "1 Desember 2026"


def test_template_filters_and_pdf_helpers_are_the_same_function():
    t = Template("{% load kompeten %}{{ d|tanggal }}|{{ d|hari }}|{{ t|waktu }}|{{ t|jam }}|{{ t|rentang:e }}|"
                 "{{ none|tanggal }}")
    ctx = {"d": DAY, "t": MORNING, "e": MORNING + dt.timedelta(hours=2), "none": None}
    for lang in ("id", "en"):
        with translation.override(lang):
            assert t.render(Context(ctx)) == "|".join([
                format_date(DAY), format_date(DAY, weekday=True), format_datetime(MORNING), format_time(MORNING),
                format_span(MORNING, ctx["e"]), "—"])
    # The printed BNSP forms are Indonesian whatever the reader's language.
    with translation.override("en"):
        assert fmt_date(DAY) == format_date(DAY, language="id") == "1 Desember 2026"
        assert fmt_datetime(MORNING) == "1 Desember 2026, 08.00 WIB"


# --- nobody else writes dates ---------------------------------------------------------------------------

FORBIDDEN = [
    (re.compile(r"strftime\("), "strftime"),
    (re.compile(r"\bdate_format\(|\btime_format\("), "django.utils.formats.date_format"),
    (re.compile(r"\|\s*(date|time)\b"), "the |date / |time template filter"),
    (re.compile(r"\|\s*(tanggal|waktu):"), "a custom format given to tanggal/waktu"),
    (re.compile(r"[dj][-./][mn][-./][Yy]"), "a numeric day-month-year format"),
    (re.compile(r"%d[-./]%m"), "a numeric day-month-year format"),
    (re.compile(r"\{[^{}]*:%[a-zA-Z]"), "a date format in an f-string"),
    (re.compile(r"\.display\(\s*\"\[(day|month|year)"), "a Typst date format"),
]
ONE_PLACE = SRC / "core" / "dates.py"


def test_no_date_format_outside_core_dates():
    offences = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in {".py", ".html", ".txt", ".typ"} or path == ONE_PLACE or "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for pattern, what in FORBIDDEN:
                # The BNSP spreadsheet format (dd/mm/yyyy) would be allowed; none exists today.
                if pattern.search(line) and "dd/mm/yyyy" not in line:
                    offences.append(f"{path.relative_to(SRC)}:{n}: {what}: {line.strip()}")
    assert offences == [], "write dates with kompeten.core.dates:\n" + "\n".join(offences)


def test_the_grep_test_finds_what_it_forbids():
    lines = ['x.strftime("%d-%m-%Y")', '{{ e.ends_at|date:"H.i" }}', "{{ x|tanggal:\"l\" }}", 'f"{d:%d-%m-%Y}"',
             "format: 'd-m-Y'"]
    for line in lines:
        assert any(p.search(line) for p, _w in FORBIDDEN), line
    assert not any(p.search("{{ d|tanggal }} {{ d|waktu }} d.isoformat()") for p, _w in FORBIDDEN)


# --- date inputs carry ISO values ---------------------------------------------------------------------


class DatesForm(BootstrapMixin, forms.Form):
    day = forms.DateField(widget=forms.DateInput)
    at = forms.DateTimeField(widget=forms.DateTimeInput)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_date_inputs_are_iso_in_every_language(lang):
    with translation.override(lang):
        html = str(DatesForm(initial={"day": dt.date(2026, 11, 24), "at": dt.datetime(2026, 11, 24, 8, 0,
                                                                                      tzinfo=JAKARTA)}))
        assert 'type="date"' in html and 'value="2026-11-24"' in html
        assert 'type="datetime-local"' in html and 'value="2026-11-24T08:00"' in html
        form = DatesForm({"day": "2026-11-24", "at": "2026-11-24T08:00"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == dt.date(2026, 11, 24)
        assert timezone.localtime(form.cleaned_data["at"]).replace(tzinfo=None) == dt.datetime(2026, 11, 24, 8, 0)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ak01_form_is_prefilled_with_an_iso_date(client, lang, scheme, site, assessor, candidate):
    from kompeten.cases.models import Case
    from kompeten.events.models import AssessmentEvent

    # 00.30 WIB on 24 November is still 23 November in UTC: the form shows the local date.
    start = dt.datetime(2026, 11, 23, 17, 30, tzinfo=dt.UTC)
    event = AssessmentEvent.objects.create(number="JUK-D-1", scheme=scheme, site=site, starts_at=start,
                                           ends_at=start + dt.timedelta(hours=8), status="published")
    case = Case.objects.create(number="PMH-D-1", candidate=candidate, scheme=scheme, event=event, assessor=assessor,
                               status="confirmed")
    client.force_login(assessor.user)
    if lang == "en":
        english(client)
    body = client.get(reverse("assessment:sign_agreement", args=[case.pk])).content.decode()
    assert re.search(r'<input type="date" name="date" value="2026-11-24"', body), body


# --- the same words on a page, in a PDF and in a notification -------------------------------------------


def test_certificate_dates_read_the_same_on_page_pdf_and_notification(client, scheme, site, assessor, candidate,
                                                                      committee, admin_user,
                                                                      django_capture_on_commit_callbacks):
    from kompeten.certification import services
    from kompeten.certification.models import Certificate
    from tests.certification.helpers import make_case, make_event, recommend

    case = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(case, "K")
    services.decide_competent(case, committee)
    services.sign_holder_agreement(case, candidate)
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_certificate(case, admin_user)
    cert = Certificate.objects.get()
    until = format_date(cert.valid_until)
    assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", until)

    note = Notification.objects.get(recipient=candidate, title__contains="Sertifikat")
    assert until in note.body
    client.force_login(candidate)
    assert until in client.get(case.get_absolute_url()).content.decode()
    pdf = client.get(reverse("certification:certificate_pdf", args=[cert.pk]))
    text = pdf_text(pdf.content)
    assert until in text, text


def test_schedule_time_reads_the_same_on_page_pdf_and_notification(client, scheme, site, assessor, candidate,
                                                                   admin_user, django_capture_on_commit_callbacks):
    from kompeten.events import services
    from kompeten.events.models import EventAssessor
    from tests.events.helpers import make_case, make_event, publish_ready

    event = publish_ready(make_event(scheme, site), assessor, admin_user)
    case = make_case(candidate, scheme)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule_case(case, admin_user, event=event, assessor=assessor)
    when = format_datetime(event.starts_at)
    assert when.endswith(" 09.00 WIB")

    assert when in Notification.objects.get(recipient=candidate).body
    client.force_login(candidate)
    assert when in client.get(case.get_absolute_url()).content.decode()
    client.force_login(assessor.user)
    letter = EventAssessor.objects.get(event=event)
    assert when in pdf_text(client.get(reverse("events:letter", args=[letter.pk])).content)


def test_messages_write_dates_in_words(scheme):
    from kompeten.people.models import Assessor

    a = Assessor(user=User(first_name="Eko"), met_number="MET.000.000001 2020",
                 registration_valid_until=dt.date(2026, 1, 5))
    assert "5 Januari 2026" in str(a.may_assess(scheme, on=dt.date(2026, 2, 1)))
