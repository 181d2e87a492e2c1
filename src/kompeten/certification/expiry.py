"""Reminders before a certificate expires and before a surveillance check falls due (`manage.py send_reminders`).

Never twice: each reminder is one Reminder row, unique per (kind, object, threshold), inserted in the same
transaction as the inbox entry (the e-mail goes on commit). A second run, or a run in parallel, fails to insert
the row (the unique index waits for the first transaction, then refuses) and skips it; a run that dies half-way
has committed only whole reminders, so running it again sends the rest.

Only the nearest threshold reached is sent: a certificate 25 days from expiry that was never reminded gets the
30-day reminder, not the 90-day one as well; thresholds are reached by "days left ≤ threshold", so one not sent
on its day (the run stopped, the cap was reached) is sent by the next run.

Spreading: at most REMINDER_MAX_PER_RUN reminders a run, soonest date first, in batches of REMINDER_BATCH_SIZE
with REMINDER_BATCH_PAUSE seconds between batches; what is left goes the next day (or the next run: cron may
run it more than once a day). With the defaults (2000 a run, 100 per batch, 10 s) a run sends about 600 mails
a minute at most, for 3–4 minutes.
"""

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.dates import format_date_lazy
from kompeten.core.notify import lazy_text, notify

from .models import Certificate, Reminder, SurveillanceCheck


@dataclass
class Due:
    kind: str
    obj: object
    threshold: int
    date: object


def _threshold(days_left, thresholds):
    """The nearest threshold reached (the smallest ≥ days_left), or None."""
    reached = [t for t in thresholds if days_left <= t]
    return min(reached) if reached else None


def due_reminders(today=None):
    """Every reminder that should have gone by today and has not, soonest date first."""
    today = today or timezone.localdate()
    out = []
    sent = set(Reminder.objects.values_list("kind", "object_id", "threshold"))
    if settings.EXPIRY_REMINDER_DAYS:
        horizon = today + dt.timedelta(days=max(settings.EXPIRY_REMINDER_DAYS))
        certs = (Certificate.objects.filter(status=Certificate.Status.ACTIVE, valid_until__gte=today,
                                            valid_until__lte=horizon, renewed_by__isnull=True)
                 .select_related("case__candidate", "scheme"))
        for cert in certs:
            t = _threshold((cert.valid_until - today).days, settings.EXPIRY_REMINDER_DAYS)
            if t is not None and (Reminder.Kind.EXPIRY, cert.pk, t) not in sent:
                out.append(Due(Reminder.Kind.EXPIRY, cert, t, cert.valid_until))
    if settings.SURVEILLANCE_REMINDER_DAYS:
        horizon = today + dt.timedelta(days=max(settings.SURVEILLANCE_REMINDER_DAYS))
        checks = (SurveillanceCheck.objects.filter(status=SurveillanceCheck.Status.DUE, due_on__gte=today,
                                                   due_on__lte=horizon,
                                                   surveillance__certificate__status=Certificate.Status.ACTIVE)
                  .select_related("surveillance__certificate__case__candidate"))
        for chk in checks:
            t = _threshold((chk.due_on - today).days, settings.SURVEILLANCE_REMINDER_DAYS)
            if t is not None and (Reminder.Kind.SURVEILLANCE, chk.pk, t) not in sent:
                out.append(Due(Reminder.Kind.SURVEILLANCE, chk, t, chk.due_on))
    out.sort(key=lambda d: (d.date, d.kind, d.obj.pk))
    return out


def _notify(due):
    if due.kind == Reminder.Kind.EXPIRY:
        cert = due.obj
        holder = cert.case.candidate
        notify([holder], lazy_text(_("Sertifikat Anda berakhir %(date)s"), date=format_date_lazy(cert.valid_until)),
               body=lazy_text(_("Sertifikat %(number)s (%(scheme)s) berlaku sampai %(date)s. Ajukan sertifikasi ulang "
                                "dari halaman permohonan Anda sebelum tanggal itu agar kompetensi Anda tetap diakui."),
                              number=cert.number, scheme=cert.scheme.title, date=format_date_lazy(cert.valid_until)),
               url=cert.case.get_absolute_url(), due=cert.valid_until)
        return holder
    chk = due.obj
    holder = chk.surveillance.certificate.case.candidate
    from .surveillance import check_url

    notify([holder], lazy_text(_("Surveilan ke-%(n)s jatuh tempo %(date)s"), n=chk.order,
                               date=format_date_lazy(chk.due_on)),
           body=lazy_text(_("Kirim bukti bahwa Anda tetap bekerja sesuai kompetensi (catatan kerja, pernyataan atasan, "
                            "berkas) untuk sertifikat %(number)s sebelum %(date)s."),
                          number=chk.surveillance.certificate.number, date=format_date_lazy(chk.due_on)),
           url=check_url(chk), due=chk.due_on)
    return holder


def send_one(due):
    """Insert the reminder's row and queue its notice in one transaction; False when it was already sent (by an
    earlier run, or by a parallel one that got there first)."""
    try:
        with transaction.atomic():
            holder = (due.obj.case.candidate if due.kind == Reminder.Kind.EXPIRY
                      else due.obj.surveillance.certificate.case.candidate)
            Reminder.objects.create(kind=due.kind, object_id=due.obj.pk, threshold=due.threshold, recipient=holder)
            _notify(due)
    except IntegrityError:
        return False
    return True


def send_reminders(today=None, *, max_per_run=None, batch_size=None, pause=None, sleep=time.sleep, log=None):
    """Send what is due, spread: at most max_per_run, in batches with a pause between them.
    Returns {"sent": n, "skipped": n (already sent elsewhere), "left": n (for the next run)}."""
    max_per_run = settings.REMINDER_MAX_PER_RUN if max_per_run is None else max_per_run
    batch_size = max(1, settings.REMINDER_BATCH_SIZE if batch_size is None else batch_size)
    pause = settings.REMINDER_BATCH_PAUSE if pause is None else pause
    todo = due_reminders(today)
    now, left = todo[:max_per_run], len(todo[max_per_run:])
    sent = skipped = 0
    for i in range(0, len(now), batch_size):
        if i and pause:
            sleep(pause)
        for due in now[i:i + batch_size]:
            if send_one(due):
                sent += 1
            else:
                skipped += 1
        if log:
            log(f"{sent} sent, {skipped} already sent")
    return {"sent": sent, "skipped": skipped, "left": left}
