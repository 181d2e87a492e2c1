from django.urls import path

from kompeten.people import views

app_name = "people"

urlpatterns = [
    path("asesor/", views.assessor_list, name="assessors"),
    path("asesor/<int:pk>/", views.assessor_detail, name="assessor_detail"),
]
