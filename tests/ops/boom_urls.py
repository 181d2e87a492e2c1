"""The project's URLs plus one view that fails, for the 500 page test."""

import logging

from django.urls import path

from kompeten.urls import urlpatterns as project_urls


def boom(request):
    logging.getLogger("kompeten.test").warning("about to fail")
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *project_urls]
