"""Acts on people and accounts."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import WorkflowError
from kompeten.core.models import Role, RoleAssignment

register_act_labels({"register_candidate": _("Mendaftar sebagai asesi")})


def register_candidate(*, full_name, email, password, phone=""):
    """Anyone may register themselves as a candidate. Creates the user with the candidate role."""
    first, _sep, last = full_name.strip().partition(" ")
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=email.lower(), email=email.lower(), password=password,
                first_name=first[:150], last_name=last[:150], phone=phone,
            )
            RoleAssignment.objects.create(user=user, role=Role.CANDIDATE)
            log_action(user, "register_candidate", user)
    except IntegrityError:
        # The same e-mail registered at the same moment (the form's check passed for both): one wins.
        msg = str(_("Email ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi."))
        raise WorkflowError(msg, field_errors={"email": [msg]}) from None
    return user
