from django.urls import path

from kompeten.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.scheme_list, name="list"),
    path("<slug:code>/", views.scheme_detail, name="scheme"),
]
