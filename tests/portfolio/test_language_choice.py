"""Which language a request is answered in: the person's profile, else the browser's; the API
only from Accept-Language. Money and dates in the locale. An API error in French, an e-mail in
German."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from core.i18n import from_accept_language
from portfolio.display import money
from portfolio.models import Profile
from portfolio.services.intake import sign_off_request
from portfolio.services.notifications import notification_send, notifications_mail
from portfolio.services.people import profile_language_set
from tests import factories


def test_accept_language_picks_the_first_shipped_language_in_its_order():
    assert from_accept_language("it-IT, fr-CH;q=0.8, de;q=0.5") == "fr"
    assert from_accept_language("de-AT") == "de"
    assert from_accept_language("en-US,en;q=0.9,fr;q=0.8") == "en-gb"
    assert from_accept_language("it, es") == "en-gb"  # none shipped: the default
    assert from_accept_language("") == "en-gb"


@pytest.mark.parametrize(
    ("language", "amount", "places", "shown"),
    [
        # 1234567.5 with grouping by thousands: "," and "." in English, "." and "," in German,
        # a no-break space and "," in French; the currency before the amount in English only.
        ("en-gb", Decimal("1234567.5"), 2, "EUR 1,234,567.50"),
        ("de", Decimal("1234567.5"), 2, "1.234.567,50 EUR"),
        ("fr", Decimal("1234567.5"), 2, "1\xa0234\xa0567,50 EUR"),
        ("de", 150000, 0, "150.000 EUR"),
        ("fr", 150000, 0, "150\xa0000 EUR"),
    ],
)
def test_an_amount_in_each_locale(settings, language, amount, places, shown):
    settings.FLYWHEEL_CURRENCY = "EUR"
    with translation.override(language):
        assert money(amount, places) == shown


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en-gb", "2026-03-01 · 2026-03-01 14:05 · 1 Mar 2026 · 0.75"),
        ("de", "01.03.2026 · 01.03.2026 14:05 · 1. März 2026 · 0,75"),
        ("fr", "01/03/2026 · 01/03/2026 14:05 · 1 mars 2026 · 0,75"),
    ],
)
def test_a_date_and_a_number_in_each_locale(language, shown):
    template = Template(
        '{{ day|date:"SHORT_DATE_FORMAT" }} · {{ at|date:"SHORT_DATETIME_FORMAT" }} · '
        "{{ day }} · {{ share|floatformat:2 }}"
    )
    context = Context(
        {
            "day": datetime.date(2026, 3, 1),
            "at": datetime.datetime(2026, 3, 1, 14, 5),
            "share": Decimal("0.75"),
        }
    )
    with translation.override(language):
        assert template.render(context) == shown


@pytest.mark.django_db
def test_an_api_error_in_french_from_accept_language():
    client = APIClient()
    client.force_authenticate(factories.administrator())
    response = client.get("/api/use-cases/", {"colour": "red"}, HTTP_ACCEPT_LANGUAGE="fr-FR,fr")
    assert response.status_code == 400
    assert response.json()["message"] == "Paramètre de requête inconnu : colour."
    assert response["Content-Language"] == "fr"


@pytest.mark.django_db
def test_the_api_follows_accept_language_not_the_profile_or_the_cookie(client):
    person = factories.administrator()
    profile_language_set(user=person, language="de")
    client.force_login(person)
    client.cookies["django_language"] = "de"
    response = client.get("/api/use-cases/", {"colour": "red"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.json()["message"] == "Paramètre de requête inconnu : colour."
    response = client.get("/api/use-cases/", {"colour": "red"})
    assert response.json()["message"] == "Unknown query parameter: colour."


@pytest.mark.django_db
def test_the_switcher_keeps_the_choice_on_the_profile_and_in_the_cookie(client):
    person = factories.UserFactory()
    client.force_login(person)
    response = client.post(reverse("language-choose"), {"language": "fr", "next": "/inbox/"})
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    assert Profile.objects.get(user=person).language == "fr"
    assert response.cookies["django_language"].value == "fr"


@pytest.mark.django_db
def test_an_unknown_language_is_not_kept():
    person = factories.UserFactory()
    with pytest.raises(Exception, match="Not a language this site speaks"):
        profile_language_set(user=person, language="it")
    assert not Profile.objects.filter(user=person).exists()


@pytest.mark.django_db
def test_an_email_in_the_recipients_language(mailoutbox, department, head):
    """The sponsor chose German, the operator lead nothing: each is asked in their own
    language, whoever asked (the request was in French)."""
    sponsor, operator = factories.UserFactory(), factories.UserFactory()
    profile_language_set(user=sponsor, language="de")
    use_case = factories.UseCaseFactory(
        department=department, title="Schadenstriage", sponsor=sponsor, operator_lead=operator
    )
    with translation.override("fr"):
        sign_off_request(use_case=use_case, actor=head)
    notifications_mail()
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[sponsor.email] == "[Flywheel] Freigabe angefordert: Schadenstriage"
    assert subjects[operator.email] == "[Flywheel] Sign-off requested: Schadenstriage"
    (german,) = [m for m in mailoutbox if m.to == [sponsor.email]]
    assert "die Erfolgsdefinition von „Schadenstriage“" in german.body


@pytest.mark.django_db
def test_a_digest_is_composed_in_the_recipients_language(mailoutbox):
    person = factories.UserFactory()
    profile_language_set(user=person, language="fr")
    for title in ("A", "B"):
        notification_send(recipients=[person], kind="flag_raised", subject=title)
    notifications_mail()
    (message,) = mailoutbox
    assert message.subject == "[Flywheel] 2 nouvelles notifications"


@pytest.mark.django_db
def test_an_administrator_sets_a_persons_language_in_the_admin(client):
    admin_user = factories.administrator(is_superuser=True)
    person = factories.UserFactory()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:portfolio_profile_add"), {"user": person.pk, "language": "de"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Profile.objects.get(user=person).language == "de"
    assert client.get(reverse("admin:portfolio_profile_changelist")).status_code == 200
