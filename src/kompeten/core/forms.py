"""Form helpers shared by every app: Bootstrap styling and the account forms."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from kompeten.core.concurrency import VersionedForm

# Django 6.1's label for an empty choice has no Indonesian translation in Django itself; naming it here puts
# it in our catalogue (locale/id: "— Pilih —").
BLANK_CHOICE_LABEL = _("- Select an option -")


# A browser's date and date-time inputs take ISO values only (a value such as 24-11-2026, Indonesian's
# default input format, shows as an empty field). Whatever the language, they are written and read in ISO;
# the date shown *in words* is core.dates' business.
ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"
ISO_INPUTS = {
    forms.DateInput: ("date", ISO_DATE, [ISO_DATE]),
    forms.DateTimeInput: ("datetime-local", ISO_DATETIME, [ISO_DATETIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M",
                                                           "%Y-%m-%d %H:%M:%S"]),
}


def iso_input(field):
    """Make a DateField/DateTimeField's widget a native date(-time) input carrying ISO values, and make
    sure the field reads those values back in every language."""
    for widget_class, (input_type, fmt, accepted) in ISO_INPUTS.items():
        if isinstance(field.widget, widget_class):
            field.widget.format = fmt
            field.widget.attrs.setdefault("type", input_type)
            if hasattr(field, "input_formats"):
                field.input_formats = list(accepted) + [f for f in field.input_formats if f not in accepted]
            return


class BootstrapMixin:
    """Give every widget Bootstrap's classes and mark invalid fields, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            iso_input(field)
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            # A field may be drawn without its <label> (filter bars: `{{ filter.status }}`); it still needs a
            # name for screen readers. Radio and checkbox lists are named by their own labels.
            if field.label and css != "form-check-input":
                widget.attrs.setdefault("aria-label", field.label)

    def full_clean(self):
        # Marked after validation, not in __init__, so forms that set choices after super().__init__()
        # are validated against their real choices.
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                if "is-invalid" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()

    def add_workflow_errors(self, error):
        """Show a service's WorkflowError next to the fields it names (or on top of the form)."""
        if error.field_errors:
            for field, msgs in error.field_errors.items():
                for msg in msgs if isinstance(msgs, list | tuple) else [msgs]:
                    self.add_error(field if field in self.fields else None, msg)
        else:
            self.add_error(None, error.message)
        for name in error.field_errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class LoginForm(BootstrapMixin, AuthenticationForm):
    username = forms.CharField(label=_("Email atau nama pengguna"), max_length=254,
                               widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}))


class PasswordResetFormStyled(BootstrapMixin, PasswordResetForm):
    def get_users(self, email):
        """Also people invited by the LSP who have not set a password yet (Django skips accounts without a
        usable password), so an expired invitation can be renewed from the login page."""
        users = get_user_model()._default_manager.filter(email__iexact=email, is_active=True)
        return (u for u in users if u.email and u.email.lower() == email.strip().lower())


class SetPasswordFormStyled(BootstrapMixin, SetPasswordForm):
    pass


class RegisterForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150,
                                help_text=_("Sesuai KTP/paspor; dicetak di sertifikat."))
    # The e-mail is also the username (150 characters at most).
    email = forms.EmailField(label=_("Email"), max_length=150)
    phone = forms.CharField(label=_("Nomor HP"), max_length=30, required=False)
    password = forms.CharField(label=_("Kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("Ulangi kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Email ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi."))
        return email

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password2"):
            self.add_error("password2", _("Kedua kata sandi tidak sama."))
        elif data.get("password"):
            try:
                validate_password(data["password"], get_user_model()(email=data.get("email", "")))
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class Prepared:
    """Runs prepare() (querysets, choices) before BootstrapMixin looks at the errors of a bound form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare()

    def prepare(self):
        pass


LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg", b"RIFF": "webp"}
LOGO_MAX_BYTES = 1024 * 1024


class LspProfileForm(BootstrapMixin, VersionedForm, forms.Form):
    name = forms.CharField(label=_("Nama LSP"), max_length=200)
    licence_number = forms.CharField(label=_("Nomor lisensi BNSP"), max_length=100, required=False,
                                     widget=forms.TextInput(attrs={"placeholder": "BNSP-LSP-1234-ID"}))
    description = forms.CharField(label=_("Profil singkat"), required=False, max_length=1000,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Dua atau tiga kalimat: siapa LSP ini dan untuk siapa sertifikasinya."))
    address = forms.CharField(label=_("Alamat"), required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}))
    phone = forms.CharField(label=_("Telepon"), max_length=40, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    email = forms.EmailField(label=_("Email"), required=False,
                             error_messages={"invalid": _("Masukkan alamat email yang benar.")})
    website = forms.URLField(label=_("Situs web"), required=False, assume_scheme="https",
                             error_messages={"invalid": _("Masukkan alamat situs yang benar, misalnya https://lsp.id.")})
    logo = forms.FileField(label=_("Logo"), required=False,
                           widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
                           help_text=_("PNG, JPG atau WebP, paling besar 1 MB. Kosongkan untuk memakai logo yang ada."))
    remove_logo = forms.BooleanField(label=_("Hapus logo"), required=False)

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if not logo:
            return None
        if logo.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(_("Logo terlalu besar: paling besar 1 MB."))
        head = logo.read(12)
        logo.seek(0)
        kind = next((k for magic, k in LOGO_TYPES.items() if head.startswith(magic)), None)
        if kind is None or (kind == "webp" and head[8:12] != b"WEBP"):
            raise forms.ValidationError(_("Logo harus berupa gambar PNG, JPG atau WebP."))
        logo.name = f"logo.{kind}"
        return logo


class MfaCodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(label=_("Kode"), max_length=20, strip=True,
                           help_text=_("Enam angka dari aplikasi autentikator, atau satu kode pemulihan."),
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}))
