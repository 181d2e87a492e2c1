from django.urls import path

from kompeten.people import views

app_name = "people"

urlpatterns = [
    path("asesor/", views.assessor_list, name="assessors"),
    path("asesor/baru/", views.assessor_create, name="assessor_create"),
    path("asesor/<int:pk>/", views.assessor_detail, name="assessor_detail"),
    path("asesor/<int:pk>/ubah/", views.assessor_edit, name="assessor_edit"),
    path("asesor/<int:pk>/undang/", views.assessor_invite, name="assessor_invite"),
]
