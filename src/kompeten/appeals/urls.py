from django.urls import path

from . import views

app_name = "appeals"

urlpatterns = [
    path("", views.grievance_list, name="list"),
    path("saya/", views.mine, name="mine"),
    path("pengaduan/", views.complaint_new, name="complaint_new"),
    path("pengaduan/terkirim/", views.complaint_sent, name="complaint_sent"),
    path("ajukan/<int:pk>/", views.appeal_new, name="appeal_new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/fr-ak-04.pdf", views.pdf, name="pdf"),
    path("<int:pk>/<str:action>/", views.act, name="act"),
    path("dokumen/<int:pk>/", views.document, name="document"),
]
