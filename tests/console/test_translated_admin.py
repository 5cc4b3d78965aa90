"""The admin and the API's refusals in German and French: a model's name, its field labels and
help texts, an action's description, a list filter's title, and a refusal that was once an
English f-string. Each expected text is the catalogue's, and the English is gone."""

import pytest
from rest_framework.test import APIClient

from portfolio.services.people import profile_language_set
from tests import factories

ADMIN_PAGES = {
    "de": {
        # The use cases' list (one draft in it, so that the actions show): the model's
        # plural, an action, a filter's title.
        "usecase": ["Anwendungsfälle", "Ausgewählte Entwürfe einreichen", "erreichte Stufe"],
        # A board's form: a field's label and its help text.
        "board": ["Mindestquorum", "Mindestzahl an Stimmen, die ein Review abschließen"],
    },
    "fr": {
        "usecase": ["Soumettre les brouillons sélectionnés", "étape atteinte"],
        "board": ["Quorum minimal", "Nombre minimal de votes pour clore une revue"],
    },
}
ENGLISH = {
    "usecase": ["Submit selected drafts", "reached stage"],
    "board": ["Quorum minimum", "Fewest votes that close a review"],
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "fr"])
def test_admin_pages_in_the_administrators_language(client, board, use_case, language):
    board, _members = board
    person = factories.administrator(is_superuser=True)
    profile_language_set(user=person, language=language)
    client.force_login(person)
    pages = {
        "usecase": client.get("/admin/portfolio/usecase/"),
        "board": client.get(f"/admin/governance/board/{board.pk}/change/"),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        for text in ADMIN_PAGES[language][name]:
            assert text in page, (name, text)
        for text in ENGLISH[name]:
            assert text not in page, (name, text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Kein Fragebogen 999999."),
        ("fr", "Aucun questionnaire 999999."),
        ("en", "No questionnaire 999999."),
    ],
)
def test_a_refusal_once_built_from_an_f_string_in_the_requests_language(
    use_case, language, message
):
    client = APIClient()
    client.force_authenticate(factories.administrator())
    response = client.post(
        "/api/questionnaire-answers/",
        {"questionnaire": 999999, "use_case": use_case.pk, "values": {}},
        format="json",
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 404
    assert response.json()["message"] == message


# The executive dashboard (its headings, a table's header, an app's name in the list of models)
# and the use case list's amount columns and generated-field filters, in the catalogue's words.
DASHBOARD = {
    "de": [
        "Portfolio-Dashboard",
        "Portfolio-Hygiene",
        "Dividende der Wiederverwendung",
        "Abbruchquote",
        "Komponenten und Vorfälle",
        "Regulatorische Compliance",
    ],
    "fr": [
        "Tableau de bord du portefeuille",
        "Hygiène du portefeuille",
        "Dividende de la réutilisation",
        "Taux d'arrêt",
        "Composants et incidents",
        "Conformité réglementaire",
    ],
}
USE_CASE_LIST = {
    "de": ["Entwicklungskosten", "Erwartet / Jahr", "Realisiert / Jahr", "Nach Risikostufe"],
    "fr": ["Coût de réalisation", "Attendu / an", "Réalisé / an", "Par niveau de risque"],
}
ENGLISH_DASHBOARD = [
    "Portfolio dashboard",
    "Portfolio hygiene",
    "Reuse dividend",
    "Kill rate",
    "Components and incidents",
    "Regulatory compliance",
]
ENGLISH_USE_CASE_LIST = ["Build cost", "Expected / yr", "Realised / yr", "risk tier"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "fr"])
def test_dashboard_and_use_case_columns_in_the_executives_language(client, use_case, language):
    person = factories.administrator(is_superuser=True)
    profile_language_set(user=person, language=language)
    client.force_login(person)
    pages = {
        "dashboard": (client.get("/admin/"), DASHBOARD, ENGLISH_DASHBOARD),
        "list": (client.get("/admin/portfolio/usecase/"), USE_CASE_LIST, ENGLISH_USE_CASE_LIST),
    }
    for name, (response, expected, english) in pages.items():
        assert response.status_code == 200, name
        page = response.content.decode()
        for text in expected[language]:
            assert text in page, (name, text)
        for text in english:
            assert text not in page, (name, text)
