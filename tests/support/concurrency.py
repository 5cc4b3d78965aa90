"""Run callables at the same moment on their own threads and database connections."""

import threading

from django.db import connection


def run_at_once(count, target):
    """Run ``target`` in ``count`` threads released together; return results and errors."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors
