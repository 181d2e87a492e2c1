"""Optimistic locking for records that staff edit in forms: two people editing the same record get a clear
conflict, never a lost update.

One mechanism for every such record:

- the model inherits `Versioned` (an `edit_version` counter, raised by one at every saved edit);
- the form inherits `VersionedForm`: a hidden `edit_version` field carries the version the page was opened on;
- the service, inside its transaction and on the row it locked (select_for_update), calls
  `claim(locked, version)`: when the version carried by the form is not the record's version any more, someone
  saved in between and `EditConflict` is raised (a WorkflowError, so the form shows it and keeps what was typed);
  otherwise the counter is raised and the service saves.

`version=None` (a caller without a form: the demo builder, the scheme-file loader, the admin) skips the check
but still raises the counter, so an open form sees that change too.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import history
from kompeten.core.dates import format_datetime
from kompeten.core.errors import WorkflowError
from kompeten.core.models import Versioned  # noqa: F401 (the model half of the mechanism, defined beside User)

FIELD = "edit_version"


class EditConflict(WorkflowError):
    """The record changed since the form was opened."""


def _last_change(obj):

    entry = history(obj).first() if obj.pk else None
    if entry is None:
        return None, None
    who = entry.actor.display_name if entry.actor_id else _("sistem")
    return who, format_datetime(entry.at)


def conflict_message(obj):
    who, when = _last_change(obj)
    if who:
        return _("Data ini sudah diubah oleh %(who)s (%(when)s) setelah Anda membukanya. Perubahan Anda belum "
                 "disimpan agar perubahan itu tidak tertimpa: muat ulang halaman untuk melihat data terbaru, lalu "
                 "ulangi perubahan Anda.") % {"who": who, "when": when}
    return _("Data ini sudah diubah orang lain setelah Anda membukanya. Perubahan Anda belum disimpan agar "
             "perubahan itu tidak tertimpa: muat ulang halaman untuk melihat data terbaru, lalu ulangi perubahan Anda.")


def claim(locked, version, *, logged_on=None):
    """Inside the act's transaction, on the locked row: refuse when `version` (from the form) is not the record's
    current version; otherwise raise the counter (the caller saves the row). `logged_on`: the object whose action
    log records edits of this row (an instrument item's edits are logged on its version), to name who changed it."""
    if version is not None and int(version) != locked.edit_version:
        msg = conflict_message(logged_on or locked)
        raise EditConflict(msg, field_errors={"__all__": [msg]})
    locked.edit_version += 1
    return locked


class VersionedForm:
    """Mixin for a form that edits a Versioned record: pass `record=` (or the ModelForm's `instance`); the hidden
    field carries its version. `take_version()` removes it from cleaned_data and returns it for the service."""

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        record = record if record is not None else getattr(self, "instance", None)
        current = getattr(record, FIELD, None) if record is not None and record.pk else None
        self.fields[FIELD] = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1,
                                                widget=forms.HiddenInput, initial=current)

    def take_version(self):
        return self.cleaned_data.pop(FIELD, None)
