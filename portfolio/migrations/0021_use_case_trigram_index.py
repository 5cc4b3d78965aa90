"""A GIN trigram index on what the similarity at intake compares (title and problem
statement, portfolio.selectors_lessons.use_case_text), on PostgreSQL only: SQLite has no
pg_trgm (its fallback scores word overlap in Python) and no GIN, so there the migration
does nothing. The expression is the one Django compiles for ``use_case_text()`` on
PostgreSQL, so the planner matches the query's ``%`` to the index (checked with EXPLAIN in
bench/looks_ahead.py). It is not in the model's Meta, which SQLite would then have to build.
"""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS "use_case_similar_trgm" ON "portfolio_usecase" USING gin (
    (COALESCE("title", '') || COALESCE((COALESCE(' ', '') || COALESCE("problem_statement", '')),
                                       '')) gin_trgm_ops
)
"""
DROP = 'DROP INDEX IF EXISTS "use_case_similar_trgm"'


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("portfolio", "0020_translated_labels")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
