"""Sign-in pages: the login page (provider and local), the provider's redirect and callback,
logout that ends the provider session, and the pages for a refused or role-less sign-in."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc import views as oidc_views

from core.roles import roles_of
from signin import provider


class LoginView(auth_views.LoginView):
    """The login page: "Sign in with <provider>" when one is configured, and the local form
    (for administrators only when local login is limited)."""

    template_name = "signin/login.html"


class ProviderRedirectView(oidc_views.OIDCAuthenticationRequestView):
    """Sends the browser to the provider's authorization endpoint."""

    get_settings = staticmethod(provider.setting)

    def __init__(self, *args, **kwargs):
        # The endpoint is looked up in dispatch (and only when configured).
        super(oidc_views.OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = provider.setting("OIDC_RP_CLIENT_ID", "")

    def dispatch(self, request, *args, **kwargs):
        if not provider.is_configured():
            raise Http404(_("Sign-in with a provider is not configured."))
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider.setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except provider.ProviderUnavailable:
            return render(request, "signin/failed.html", status=503)
        return super().dispatch(request, *args, **kwargs)


class ProviderCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends the browser back here; a person without any role is told so."""

    get_settings = staticmethod(provider.setting)

    def login_success(self):
        response = super().login_success()
        # Short sessions, so that a group removed at the provider costs the role soon.
        self.request.session.set_expiry(settings.FLYWHEEL_PROVIDER_SESSION_HOURS * 3600)
        return response

    @property
    def failure_url(self):
        return reverse("signin:failed")

    @property
    def success_url(self):
        roles = roles_of(self.user)
        has_role = roles.is_admin or roles.is_executive or roles.member_of or roles.boards
        return super().success_url if has_role else reverse("signin:no-role")


class LogoutView(oidc_views.OIDCLogoutView):
    """Logs out of Flywheel and, where the provider offers it, of the provider too."""

    get_settings = staticmethod(provider.setting)


@login_required
def no_role(request):
    """Signed in, but none of the person's groups maps to a role in Flywheel."""
    identity = request.user.identities.order_by("-last_sign_in_at").first()
    return render(
        request,
        "signin/no_role.html",
        {"groups": identity.groups if identity else []},
    )


def failed(request):
    """The provider's sign-in did not succeed (refused, or a token that did not verify)."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "signin/failed.html", status=403)
