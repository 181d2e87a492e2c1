from django.conf import settings


def kompeten(request):
    user = getattr(request, "user", None)
    unread = 0
    roles = set()
    if user is not None and user.is_authenticated:
        unread = user.notifications.waiting().count()
        roles = user.role_set()
    return {"LSP_NAME": settings.LSP_NAME, "unread_notifications": unread, "user_roles": roles}
