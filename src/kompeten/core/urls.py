from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from kompeten.core import job_views, views
from kompeten.core.forms import LoginForm, PasswordResetFormStyled, SetPasswordFormStyled

urlpatterns = [
    # Lazy: with hashed static names (KOMPETEN_STATIC_MANIFEST) the name is known only after collectstatic.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"), permanent=True)),
    path("masuk/", auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
         name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("daftar/", views.register, name="register"),
    path("masuk/faktor-kedua/", views.mfa_verify, name="mfa_verify"),
    path("masuk/faktor-kedua/daftar/", views.mfa_setup, name="mfa_setup"),
    path("profil-lsp/", views.edit_lsp_profile, name="lsp_profile"),
    path("profil-lsp/logo/", views.lsp_logo, name="lsp_logo"),
    path("lupa-sandi/", auth_views.PasswordResetView.as_view(form_class=PasswordResetFormStyled),
         name="password_reset"),
    path("lupa-sandi/terkirim/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("atur-sandi/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordFormStyled),
         name="password_reset_confirm"),
    path("atur-sandi/selesai/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("pekerjaan/<int:pk>/", job_views.job_page, name="job"),
    path("pekerjaan/<int:pk>/progres/", job_views.job_progress, name="job_progress"),
]
