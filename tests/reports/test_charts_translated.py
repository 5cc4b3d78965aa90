"""The charts speak the reader's language: title, description, axis and series names and the
data table's headings come from the catalogues (locale/de, locale/fr), not from English text
written into the builders."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from reports import charts

FLAGS = [{"label": "stalled", "count": 3}]


def _budget_history():
    day = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    return [(day, SimpleNamespace(budget=1.5, remaining=0.5))]


@pytest.mark.parametrize(
    "language, flags_title, data_summary, budget_series",
    [
        (
            "de",
            "Offene Warnhinweise nach Art",
            "Offene Warnhinweise nach Art: die Daten",
            "Fehlerbudget",
        ),
        (
            "fr",
            "Alertes ouvertes par type",
            "Alertes ouvertes par type : les données",
            "Budget d\u2019erreur",
        ),
        ("en-gb", "Open flags by kind", "Open flags by kind: the data", "Error budget"),
    ],
)
def test_a_chart_is_drawn_in_the_readers_language(
    language, flags_title, data_summary, budget_series
):
    with translation.override(language):
        flags = str(charts.flags_chart(FLAGS))
        budget = str(charts.budget_chart(_budget_history(), board_name="AI Board"))
    assert f"<title>{flags_title}</title>" in flags or flags_title in flags
    assert data_summary in flags
    assert budget_series in budget
    if language != "en-gb":
        assert "Open flags by kind" not in flags
        assert "error budget over time" not in budget
