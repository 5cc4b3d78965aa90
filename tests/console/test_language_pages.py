"""Pages in German and French: from the browser's Accept-Language for anyone, from the profile
for a person who chose (over the browser), with amounts and dates in the locale."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portfolio.services.people import profile_language_set
from tests.factories import submitted

pytestmark = pytest.mark.django_db


def test_the_home_page_in_german_from_the_browser(client):
    page = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5")
    text = page.content.decode()
    assert page["Content-Language"] == "de"
    assert '<html lang="de">' in text
    assert "<title>Willkommen · Flywheel</title>" in text
    assert "Mitglieder des Lenkungsausschusses" in text
    assert ">Anmelden</a>" in text
    assert "Welcome" not in text


def test_the_home_page_in_french_from_the_browser(client):
    text = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr">' in text
    assert "<title>Bienvenue · Flywheel</title>" in text
    assert "Membres du comité" in text


def test_the_profile_language_wins_over_the_browser(client, department, head):
    profile_language_set(user=head, language="fr")
    client.force_login(head)
    text = client.get(reverse("my-department"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="fr">' in text
    assert ">Mes actions</a>" in text
    assert "Soumettre un nouveau cas d'usage" in text


def test_without_a_profile_language_the_browser_decides(client, department, head):
    client.force_login(head)
    text = client.get(reverse("my-department"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert ">Meine Aufgaben</a>" in text
    assert "Neuen Anwendungsfall einreichen" in text


@pytest.mark.parametrize(
    ("language", "money", "day", "heading"),
    [
        # build cost 1234567: grouped by thousands as each locale writes it, the currency
        # after the amount in German and French; the submission day 2026-03-01.
        ("de", "Aufbau 1.234.567 EUR", "01.03.2026", "Erfassung"),
        ("fr", "construction 1\xa0234\xa0567 EUR", "01/03/2026", "Saisie"),
        ("en-gb", "build EUR 1,234,567", "2026-03-01", "Intake"),
    ],
)
def test_a_use_case_page_in_each_language_with_its_amounts_and_dates(
    client, settings, department, head, language, money, day, heading
):
    settings.FLYWHEEL_CURRENCY = "EUR"
    at = timezone.make_aware(datetime.datetime(2026, 3, 1, 10, 0))
    use_case = submitted(department, head, at=at, build_cost=Decimal("1234567"))
    profile_language_set(user=head, language=language)
    client.force_login(head)
    text = client.get(reverse("use-case-detail", args=[use_case.pk])).content.decode()
    assert money in text
    assert f"<h2>{heading}</h2>" in text
    assert day in text


def test_the_language_switcher_is_on_every_page(client):
    text = client.get(reverse("home")).content.decode()
    assert 'action="/language/"' in text
    assert '<option value="de" lang="de">Deutsch</option>' in text
    assert '<option value="fr" lang="fr">Français</option>' in text
