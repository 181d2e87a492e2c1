from django.urls import path

from kompeten.sites import views

app_name = "sites"

urlpatterns = [
    path("", views.site_list, name="list"),
    path("<int:pk>/", views.site_detail, name="detail"),
    path("<int:pk>/verifikasi/", views.verify, name="verify"),
]
