"""Run the Celery worker and/or beat of a production instance, supervised: one that exits
(a Redis outage makes the beat give up its lock and exit; a worker can exit on one too) is
started again, every RESTART_PAUSE seconds at most, until Ctrl-C or SIGTERM.

`manage.py serve` does the same beside the web server; this is the shape for hosts that run
the jobs apart from the web (deploy/systemd has units for both; systemd's Restart=always is
a second line of the same defence).
"""

import signal
import sys

from django.core.management.base import BaseCommand, CommandError

from console.management.commands.serve import Child, Stop, _raise_stop, _stop, supervise


class Command(BaseCommand):
    help = "Run a Celery worker and/or beat, started again whenever one exits."

    def add_arguments(self, parser):
        parser.add_argument("--worker", action="store_true", help="Run a worker.")
        parser.add_argument("--beat", action="store_true", help="Run a beat.")
        parser.add_argument(
            "--concurrency", type=int, default=None, help="Worker processes (Celery's default)."
        )
        parser.add_argument("--hostname", default=None, help="The worker's node name.")

    def handle(self, *args, worker, beat, concurrency, hostname, **options):
        if not worker and not beat:
            raise CommandError("Name what to run: --worker, --beat or both.")
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        children = []
        if worker:
            command = [*celery, "worker", "--loglevel=INFO"]
            if concurrency:
                command.append(f"--concurrency={concurrency}")
            if hostname:
                command.append(f"--hostname={hostname}")
            children.append(Child("worker", command, restart=True))
        if beat:
            children.append(Child("beat", [*celery, "beat", "--loglevel=INFO"], restart=True))
        previous = signal.signal(signal.SIGTERM, _raise_stop)
        try:
            for child in children:
                child.start()
            supervise(children, self.stderr.write)
        except (KeyboardInterrupt, Stop):
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            _stop(children)
            self.stdout.write("Flywheel jobs stopped.")
