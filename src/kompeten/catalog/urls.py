from django.urls import path

from kompeten.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    # the staff's screens come before <code>/: "kelola" is not a scheme code
    path("kelola/", views.manage_list, name="manage"),
    path("kelola/baru/", views.scheme_create, name="create"),
    path("kelola/berkas/", views.scheme_file, name="upload"),
    path("kelola/<slug:code>/", views.scheme_edit, name="edit"),
    path("kelola/<slug:code>/berkas/", views.scheme_file, name="file"),
    path("<slug:code>/", views.scheme_detail, name="scheme"),
]
