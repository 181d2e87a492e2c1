"""People and roles, the one action log, notifications and number sequences."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.dates import format_datetime


class PrivateFile(models.Model):
    """A file someone uploaded, kept in private storage under a random name and served only by a view that
    checks who asks (core.uploads.serve_private_file). The subclass adds what it belongs to, its `title` and
    its `file` (the folder it goes to)."""

    original_name = models.CharField(_("nama berkas asli"), max_length=255)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.title or self.original_name


class Versioned(models.Model):
    """A record staff edit in forms: `edit_version` counts its saved edits (core.concurrency keeps the rule)."""

    edit_version = models.PositiveIntegerField(_("versi ubahan"), default=0, editable=False)

    class Meta:
        abstract = True


class Role(models.TextChoices):
    CANDIDATE = "candidate", _("Asesi")
    ASSESSOR = "assessor", _("Asesor")
    LEAD_ASSESSOR = "lead_assessor", _("Lead asesor")
    ADMIN = "admin", _("Admin LSP")
    TUK_HEAD = "tuk_head", _("Ketua TUK")
    COMMITTEE = "committee", _("Komite teknis")
    LSP_HEAD = "lsp_head", _("Ketua LSP")


class User(AbstractUser):
    """A person who logs in. What they may do comes from their RoleAssignments."""

    email = models.EmailField(_("email"), unique=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    # Chosen with the language switcher while logged in; empty = not chosen (the LSP's language applies).
    language = models.CharField(_("bahasa"), max_length=10, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self):
        return self.get_full_name() or self.username

    @property
    def language_code(self):
        """The language to write to this person in: their choice, else the LSP's language."""
        return self.language or settings.LANGUAGE_CODE

    def role_set(self):
        """The roles this user holds anywhere, cached on the instance for one request."""
        if not hasattr(self, "_role_cache"):
            self._role_cache = {a.role for a in self.role_assignments()}
        return self._role_cache

    def role_assignments(self):
        """The user's role assignments with their TUK, fetched once per request (menu, checks)."""
        if not hasattr(self, "_assignment_cache"):
            self._assignment_cache = list(self.roles.select_related("site").order_by("role", "pk"))
        return self._assignment_cache

    def has_role(self, role, site=None):
        if site is None:
            return role in self.role_set()
        return self.roles.filter(role=role, site=site).exists()


class RoleAssignment(models.Model):
    """One role held by one user; a ketua TUK's role is scoped to their TUK."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    site = models.ForeignKey(
        "sites.Site", on_delete=models.CASCADE, null=True, blank=True, related_name="role_assignments",
        verbose_name=_("TUK"), help_text=_("Hanya untuk Ketua TUK."),
    )

    class Meta:
        verbose_name = _("peran pengguna")
        verbose_name_plural = _("peran pengguna")
        constraints = [models.UniqueConstraint(fields=["user", "role", "site"], name="unique_role_per_site")]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}" + (f" ({self.site})" if self.site_id else "")


# How each act reads in the log. The log knows no domain: the workflow table registers the labels of its
# acts, and each app the labels of its other logged acts (uploads, edits …), when they are imported.
ACT_LABELS = {}


def register_act_labels(labels):
    ACT_LABELS.update(labels)


def act_label(code):
    return ACT_LABELS.get(code, code.replace("_", " "))


class ActionLog(models.Model):
    """The one action log: every act of every person, never edited, never deleted."""

    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    act = models.CharField(max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    status_before = models.CharField(max_length=40, blank=True)
    status_after = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]
        verbose_name = _("log tindakan")
        verbose_name_plural = _("log tindakan")

    def __str__(self):
        return f"{format_datetime(self.at)} {self.actor} {self.act}"

    @property
    def label(self):
        return act_label(self.act)


class NotificationQuerySet(models.QuerySet):
    def waiting(self):
        """Unread and not done: what the badge and the home page count."""
        return self.filter(read_at__isnull=True, done_at__isnull=True)


class Notification(models.Model):
    """An entry in a person's in-app inbox; the same message also goes out by e-mail."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    due = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # A notice that asks for an act: the object it is about, the act codes that answer it (space-separated),
    # and whether only the recipient's own act answers it (two-party acts: each confirms/signs for himself).
    # It is done when such an act is done, or when the object moves to where none of them can be done.
    subject_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    asks = models.CharField(max_length=200, blank=True)
    by_recipient = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="notification_subject")]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")

    def __str__(self):
        return self.title


class Sequence(models.Model):
    """A gap-free counter per name and year (certificate numbers, letters). Never goes back."""

    name = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "year"], name="unique_sequence")]

    def __str__(self):
        return f"{self.name}/{self.year}: {self.last}"


def user_label(user):
    return str(user) if user else settings.LSP_NAME


class LspProfile(Versioned):
    """The LSP itself, one row: who it is and how to reach it, on the public home page, in the top bar and on
    printed forms. Read it through `kompeten.core.lsp.lsp_profile()`; the admin edits it on /profil-lsp/."""

    name = models.CharField(_("nama LSP"), max_length=200)
    licence_number = models.CharField(_("nomor lisensi BNSP"), max_length=100, blank=True)
    description = models.TextField(_("profil singkat"), blank=True,
                                   help_text=_("Dua atau tiga kalimat: siapa LSP ini dan untuk siapa sertifikasinya."))
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("situs web"), blank=True)
    logo = models.FileField(_("logo"), upload_to="lsp/", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil LSP")
        verbose_name_plural = _("profil LSP")

    def __str__(self):
        return self.name

    @property
    def logo_version(self):
        """Changes when the profile is saved: appended to the logo's URL so browsers fetch a new logo."""
        return int(self.updated_at.timestamp()) if self.updated_at else 0


class Job(models.Model):
    """One piece of background work that a person started and watches (core.jobs): how far it is and what it
    said. Knows nothing of what the work is: `kind` names the handler, `params` is its input, `ref` the thing it
    works on (so the same work is not started twice), `result_url` where the person goes when it is done."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    kind = models.CharField(_("jenis"), max_length=80)
    title = models.CharField(_("judul"), max_length=200)
    ref = models.CharField(_("rujukan"), max_length=120, blank=True, db_index=True)
    params = models.JSONField(_("masukan"), default=dict, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="jobs",
                              verbose_name=_("dimulai oleh"))
    total = models.PositiveIntegerField(_("jumlah"), default=0)
    done = models.PositiveIntegerField(_("selesai"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED,
                              db_index=True)
    message = models.TextField(_("pesan"), blank=True)
    result_url = models.CharField(_("tautan hasil"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    started_at = models.DateTimeField(_("mulai"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pekerjaan latar")
        verbose_name_plural = _("pekerjaan latar")

    def __str__(self):
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("job", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self):
        if self.finished and self.status == self.Status.DONE:
            return 100
        return min(100, int(self.done * 100 / self.total)) if self.total else 0


class RecoveryCode(models.Model):
    """One of a staff person's ten recovery codes for the second factor, kept only as a hash; used once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64, db_index=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kode pemulihan")
        verbose_name_plural = _("kode pemulihan")

    def __str__(self):
        return str(self.user)


class BnspCode(models.Model):
    """One entry of BNSP's code lists (province, city/kabupaten, education, occupation, funding source,
    ministry), the codes the blanko sheet carries. Master data loaded from core/data/bnsp_codes.json
    (core.codes.load_codes): never typed in, never deleted (a code dropped from the file becomes inactive)."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        CITY = "city", _("Kota/kabupaten")
        EDUCATION = "education", _("Pendidikan")
        OCCUPATION = "occupation", _("Pekerjaan")
        FUNDING = "funding", _("Sumber anggaran")
        MINISTRY = "ministry", _("Kementerian")

    kind = models.CharField(_("daftar"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("nama"), max_length=200)
    parent = models.CharField(_("kode induk"), max_length=10, blank=True)  # a city's province
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "parent", "name"]
        verbose_name = _("kode BNSP")
        verbose_name_plural = _("kode BNSP")
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="unique_bnsp_code")]

    def __str__(self):
        return f"{self.code} — {self.name}"
