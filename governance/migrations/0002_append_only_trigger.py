"""On PostgreSQL, refuse UPDATE and DELETE of the governance audit record (votes, decisions,
recusals, delegations, re-baselinings) in the database."""

from django.db import migrations

from core.append_only import attach_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_initial"),
        ("portfolio", "0002_append_only_trigger"),
    ]
    operations = [
        attach_triggers(
            "governance_vote",
            "governance_decision",
            "governance_recusal",
            "governance_delegation",
            "governance_rebaselinerequest",
            "governance_rebaselinedecision",
        )
    ]
