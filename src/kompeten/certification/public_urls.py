"""The public lane's URLconf (core.lanes, settings.KOMPETEN_PUBLIC_LANES): the machine-readable answers about a
certificate that anyone may ask for without logging in. The same views as in certification/urls.py, where
these URLs are named for reverse(); the lane answers them with a short middleware chain."""

from django.urls import path

from kompeten.certification import views

urlpatterns = [
    path("sertifikat/v/<str:public_id>.json", views.verify_json),
    path("sertifikat/v/<str:public_id>/kredensial.json", views.credential),
]
