"""Serve Flywheel: the web app, and with a broker configured a Celery worker and one beat."""

import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from console.demo.story import DEMO_LOGINS, DEMO_PASSWORD, demo_logins_shown


class Command(BaseCommand):
    help = "Run the web server; with CELERY_BROKER_URL/REDIS_URL set, also a worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, port, **options):
        url = f"http://{host}:{port}/"
        eager = settings.CELERY_TASK_ALWAYS_EAGER
        self.stdout.write(self.style.SUCCESS(f"\nFlywheel is starting on {url}"))
        self.stdout.write(f"  admin and executive dashboard: {url}admin/")
        self.stdout.write(f"  API docs: {url}api/docs/   health: {url}health/")
        if demo_logins_shown():
            self.stdout.write(f"  demo logins (password '{DEMO_PASSWORD}'):")
            for username, role in DEMO_LOGINS:
                self.stdout.write(f"    {username:<13} {role}")
        self.stdout.write(
            f"  logins lock for {settings.AXES_COOLOFF_TIME:g} h after"
            f" {settings.AXES_FAILURE_LIMIT} failed attempts (django-axes)"
        )
        self.stdout.write(
            "  jobs: eager, in-process (no broker configured)"
            if eager
            else "  jobs: Celery worker and beat on the configured broker"
        )
        self.stdout.write("  stop with Ctrl-C\n")

        python = sys.executable
        children = []
        if not eager:
            celery = [python, "-m", "celery", "-A", "config"]
            children.append(subprocess.Popen([*celery, "worker", "--loglevel=INFO"]))
            # celery-redbeat (CELERY_BEAT_SCHEDULER): the schedule and the one-beat lock
            # live in Redis, no schedule file is shared between instances.
            children.append(subprocess.Popen([*celery, "beat", "--loglevel=INFO"]))
        web = subprocess.Popen([python, "manage.py", "runserver", f"{host}:{port}", "--noreload"])
        children.append(web)
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
            self.stdout.write("Flywheel stopped.")
