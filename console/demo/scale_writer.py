"""Writing generated rows fast: ids reserved from the table's sequence, then COPY on
PostgreSQL (multi-row INSERTs elsewhere), every column filled from the row or the field's
default. For synthetic benchmark data only: no model save(), no signals."""

from django.db import DatabaseError, models, transaction
from django.utils import timezone


class BulkWriter:
    def __init__(self, connection):
        self.connection = connection
        self._plans: dict = {}
        self._next: dict = {}

    def skip_row_triggers(self) -> bool:
        """Inside the batch's transaction: skip the per-row foreign-key and append-only
        triggers, as a restore does (the generator writes consistent rows, parents first).
        Needs a superuser on PostgreSQL; anywhere else the triggers simply run."""
        if self.connection.vendor != "postgresql":
            return False
        try:
            with transaction.atomic(), self.connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        except DatabaseError:
            return False
        return True

    def reserve_ids(self, model, count: int) -> list[int]:
        """``count`` fresh primary keys for ``model``, as a stack (pop() takes the lowest)."""
        if count <= 0:
            return []
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                ids = [row[0] for row in cursor.fetchall()]
            else:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
                first = max(cursor.fetchone()[0], self._next.get(table, 0)) + 1
                self._next[table] = first + count - 1
                ids = list(range(first, first + count))
        ids.reverse()
        return ids

    def _plan(self, model):
        if model not in self._plans:
            fields = [
                f for f in model._meta.concrete_fields if not isinstance(f, models.GeneratedField)
            ]
            now = timezone.now()
            defaults = {}
            for f in fields:
                if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                    defaults[f.attname] = now
                elif f.has_default():
                    defaults[f.attname] = f.get_default()
                elif f.null:
                    defaults[f.attname] = None
                elif f.blank and f.empty_strings_allowed:
                    defaults[f.attname] = ""
            self._plans[model] = (fields, defaults)
        return self._plans[model]

    def insert(self, model, rows: list[dict]) -> None:
        if not rows:
            return
        fields, defaults = self._plan(model)
        names = [f.attname for f in fields]
        columns = ", ".join(self.connection.ops.quote_name(f.column) for f in fields)
        table = self.connection.ops.quote_name(model._meta.db_table)
        json_fields = [n for n, f in enumerate(fields) if isinstance(f, models.JSONField)]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                from psycopg.types.json import Jsonb

                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        values = [row[n] if n in row else defaults[n] for n in names]
                        for n in json_fields:
                            values[n] = Jsonb(values[n])
                        copy.write_row(values)
                return
            marks = ", ".join(["%s"] * len(fields))
            prepared = [
                [
                    f.get_db_prep_save(
                        row[f.attname] if f.attname in row else defaults[f.attname], self.connection
                    )
                    for f in fields
                ]
                for row in rows
            ]
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)
