"""Tokens issued before expiry existed keep working, now with an expiry (the default
lifetime from the day of the upgrade) and revocable like any other."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def carry_over(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("signin", "ApiToken")
    now = timezone.now()
    expires_at = now + timedelta(days=settings.FLYWHEEL_API_TOKEN_DAYS)
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=token.user_id,
            name="Carried over",
            prefix=token.key[:8],
            digest=hashlib.sha256(token.key.encode()).hexdigest(),
            created_at=token.created,
            expires_at=expires_at,
        )
        for token in Token.objects.all()
    )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("signin", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
