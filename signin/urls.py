"""Sign-in routes. The provider's routes keep the names mozilla-django-oidc reverses
(unprefixed), and the account routes keep Django's "login" and "logout"."""

from django.urls import path

from signin import web

app_name = "signin"

urlpatterns = [
    path("no-role/", web.no_role, name="no-role"),
    path("failed/", web.failed, name="failed"),
]

provider_urlpatterns = [
    path("authenticate/", web.ProviderRedirectView.as_view(), name="oidc_authentication_init"),
    path("callback/", web.ProviderCallbackView.as_view(), name="oidc_authentication_callback"),
]

account_urlpatterns = [
    path("login/", web.LoginView.as_view(), name="login"),
    path("logout/", web.LogoutView.as_view(), name="logout"),
]
