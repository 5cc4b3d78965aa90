"""Django's SQLite backend with the instance's write queue (core/db/write_queue.py): every
transaction takes a ticket before BEGIN IMMEDIATE and gives it up at COMMIT or ROLLBACK, so
writers are served in arrival order across the instance's processes and threads.

OPTIONS: ``queue_timeout`` (seconds in the queue before "database is locked", default 30);
``timeout`` stays SQLite's wait for a lock held outside the instance.
"""

from django.db import OperationalError
from django.db.backends.sqlite3 import base

from core.db.write_queue import QueueTimeout, queue_directory, ticket_take

DEFAULT_QUEUE_TIMEOUT = 30.0


class DatabaseWrapper(base.DatabaseWrapper):
    _ticket = None

    def get_connection_params(self):
        kwargs = super().get_connection_params()
        kwargs.pop("queue_timeout", None)
        return kwargs

    def _queue(self):
        if self.is_in_memory_db():
            return None
        return queue_directory(str(self.settings_dict["NAME"]))

    def _start_transaction_under_autocommit(self):
        directory = self._queue()
        if directory is not None and self._ticket is None:
            try:
                timeout = self.settings_dict["OPTIONS"].get("queue_timeout", DEFAULT_QUEUE_TIMEOUT)
                self._ticket = ticket_take(directory, timeout=float(timeout))
            except QueueTimeout as exc:
                raise OperationalError(f"database is locked ({exc})") from exc
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._ticket_release()
            raise

    def _ticket_release(self):
        ticket, self._ticket = self._ticket, None
        if ticket is not None:
            ticket.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._ticket_release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._ticket_release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._ticket_release()
