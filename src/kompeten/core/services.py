"""Acts on people and accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.models import Role, RoleAssignment

register_act_labels({"register_candidate": _("Mendaftar sebagai asesi")})


def register_candidate(*, full_name, email, password, phone=""):
    """Anyone may register themselves as a candidate. Creates the user with the candidate role."""
    first, _sep, last = full_name.strip().partition(" ")
    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=email.lower(), email=email.lower(), password=password,
            first_name=first[:150], last_name=last[:150], phone=phone,
        )
        RoleAssignment.objects.create(user=user, role=Role.CANDIDATE)
        log_action(user, "register_candidate", user)
    return user
