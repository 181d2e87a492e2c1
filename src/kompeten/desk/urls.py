from django.urls import path

from kompeten.desk import dashboard, users, views

urlpatterns = [
    path("", views.home, name="home"),
    path("kotak-masuk/", views.inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/", views.open_notification, name="open_notification"),
    path("dasbor/", dashboard.dashboard, name="dashboard"),
    path("dasbor/ekspor/<slug:kind>/", dashboard.dashboard_export, name="dashboard_export"),
    path("pengguna/", users.users, name="users"),
    path("pengguna/<int:pk>/", users.user_roles, name="user_roles"),
]
