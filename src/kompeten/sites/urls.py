from django.urls import path

from kompeten.sites import views

app_name = "sites"

urlpatterns = [
    path("", views.site_list, name="list"),
    path("baru/", views.site_create, name="create"),
    path("<int:pk>/", views.site_detail, name="detail"),
    path("<int:pk>/ubah/", views.site_edit, name="edit"),
    path("<int:pk>/verifikasi/", views.verify, name="verify"),
]
