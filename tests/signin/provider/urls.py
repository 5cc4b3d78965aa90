from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.urls import include, path

from tests.signin.provider import directory


def session(request):
    """Who is signed in at the provider (tests check that logout ended the session)."""
    user = request.user
    return JsonResponse({"username": user.username if user.is_authenticated else None})


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("directory/people/<str:username>/", directory.person),
    path("directory/clients/<str:client_id>/", directory.client),
    path("session/", session),
]
