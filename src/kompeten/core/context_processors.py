from django.conf import settings

from kompeten.core.lsp import lsp_profile


def kompeten(request):
    user = getattr(request, "user", None)
    unread = 0
    roles = set()
    if user is not None and user.is_authenticated:
        unread = user.notifications.waiting().count()
        roles = user.role_set()
    lsp = lsp_profile()
    return {"LSP": lsp, "LSP_NAME": lsp.name, "unread_notifications": unread, "user_roles": roles,
            "MFA_OFF": not getattr(settings, "KOMPETEN_MFA_REQUIRED", True)}
