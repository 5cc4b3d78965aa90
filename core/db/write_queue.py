"""Writers served in arrival order across every process and thread of one embedded instance.

SQLite lets one writer at a time hold its lock, and a writer that finds it taken polls
(sleeping a little longer each time); a writer that arrives later can take the lock between
two polls of an earlier one, so under steady writing an unlucky writer waits out its whole
timeout while later ones are served. This queue puts every transaction of the instance in
line before it asks SQLite for the lock:

- a writer takes a ticket: a file in ``<database>.writers/`` named by the moment it arrived
  (the system-wide monotonic clock, then process and thread), locked (``flock``) for as long
  as the ticket lives, created under a temporary name and renamed into the queue so that no
  one sees a ticket before its lock;
- it waits until no ticket is ahead of it, watching the one just ahead: a ticket whose lock
  is free belongs to a process that died (the kernel dropped its lock) and is removed;
- it then runs its transaction (BEGIN IMMEDIATE still waits, with SQLite's own timeout, for
  a connection outside the instance: a backup, a script), and gives the ticket up at its end.

So a write waits for the transactions ahead of it and the lock holder's hold, in that order,
and never longer than ``timeout`` seconds in the queue; past that it gets "database is
locked" (the documented 503). Pure file operations; no database access.
"""

import contextlib
import os
import threading
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: one process serves there (runserver), no queue needed
    fcntl = None

POLL_SECONDS = 0.003


class QueueTimeout(Exception):
    """The writer was not first in the queue within its timeout."""


class Ticket:
    def __init__(self, directory: Path):
        self.directory = directory
        self.name = f"{time.monotonic_ns():020d}-{os.getpid()}-{threading.get_ident()}"
        temporary = directory / f".{self.name}"
        self.fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
        fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(temporary, directory / self.name)

    def wait_first(self, timeout: float) -> float:
        """Block until no ticket is ahead of this one; the seconds waited."""
        began = time.monotonic()
        while True:
            ahead = [n for n in os.listdir(self.directory) if n < self.name and n[0] != "."]
            if not ahead:
                return time.monotonic() - began
            if not _alive(self.directory / max(ahead)):
                continue
            if time.monotonic() - began > timeout:
                raise QueueTimeout(f"{len(ahead)} writers still ahead after {timeout:g} s")
            time.sleep(POLL_SECONDS)

    def release(self) -> None:
        # Removed before it is unlocked: whoever sees the lock free finds no file, or a file
        # it removes (harmlessly) itself.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.directory / self.name)
        os.close(self.fd)


def _alive(path: Path) -> bool:
    """True while the ticket's owner holds its lock; a dead owner's ticket is removed."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return False


def queue_directory(database: str) -> Path | None:
    """The queue's folder beside a database file; None where no queue applies."""
    if fcntl is None:
        return None
    directory = Path(f"{database}.writers")
    directory.mkdir(exist_ok=True)
    return directory


def ticket_take(directory: Path, *, timeout: float) -> Ticket:
    """A ticket first in line (waited for up to ``timeout`` seconds)."""
    ticket = Ticket(directory)
    try:
        ticket.wait_first(timeout)
    except BaseException:
        ticket.release()
        raise
    return ticket
