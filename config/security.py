"""Checks that refuse an unsafe production configuration before anything is served."""

from django.core.exceptions import ImproperlyConfigured

DEFAULT_SECRET_KEY = "flywheel-insecure-development-key-do-not-use-in-production"
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARS = 5


def check_production(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> None:
    """Raise ImproperlyConfigured for any setting that is unsafe when serving real users.

    A key is weak when it is the development default, Django's generated insecure key,
    shorter than 50 characters, or made of fewer than 5 distinct characters.
    """
    problems = []
    if debug:
        problems.append("DEBUG is on; set DJANGO_DEBUG=false")
    if (
        secret_key == DEFAULT_SECRET_KEY
        or secret_key.startswith("django-insecure")
        or len(secret_key) < MIN_SECRET_KEY_LENGTH
        or len(set(secret_key)) < MIN_SECRET_KEY_UNIQUE_CHARS
    ):
        problems.append(
            "DJANGO_SECRET_KEY is missing, the default, or weak "
            f"(needs {MIN_SECRET_KEY_LENGTH}+ random characters)"
        )
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("DJANGO_ALLOWED_HOSTS must name the hosts served (not '*')")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))
