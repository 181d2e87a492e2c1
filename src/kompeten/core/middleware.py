from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from kompeten.core.errors import NotAllowed, WorkflowError


class FriendlyErrorsMiddleware:
    """A refused act becomes a clear message on the page the person came from; nothing was changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotAllowed):
            return render(request, "403.html", {"message": exception.message}, status=403)
        if isinstance(exception, WorkflowError):
            back = request.META.get("HTTP_REFERER")
            if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
                messages.error(request, exception.message)
                return redirect(back)
            # The 409 page shows the message itself; a flash message too would say it twice.
            return render(request, "409.html", {"message": exception.message}, status=409)
        return None
