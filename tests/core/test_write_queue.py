"""The embedded instance's write queue (core/db/write_queue.py): tickets served in arrival
order across threads and processes, a dead holder's ticket removed, a bounded wait."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from core.db.write_queue import QueueTimeout, queue_directory, ticket_take

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="POSIX file locks")


@pytest.fixture
def directory(tmp_path):
    return queue_directory(str(tmp_path / "db.sqlite3"))


def test_writers_are_served_in_the_order_they_arrived(directory):
    first = ticket_take(directory, timeout=5)
    served, lock = [], threading.Lock()

    def writer(number: int):
        ticket = ticket_take(directory, timeout=10)
        with lock:
            served.append(number)
        time.sleep(0.01)
        ticket.release()

    threads = []
    for number in range(8):
        threads.append(threading.Thread(target=writer, args=(number,)))
        threads[-1].start()
        time.sleep(0.05)  # each arrives 50 ms after the one before
    first.release()
    for thread in threads:
        thread.join()

    assert served == list(range(8))
    assert os.listdir(directory) == []


def test_a_ticket_of_a_process_that_died_is_removed(directory):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from pathlib import Path\n"
            "from core.db.write_queue import ticket_take\n"
            "ticket_take(Path(sys.argv[1]), timeout=5)\n"
            "print('held', flush=True)\n"
            "time.sleep(60)\n",
            str(directory),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(QueueTimeout):
        ticket_take(directory, timeout=0.3)  # alive: it is waited for

    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    began = time.monotonic()
    ticket = ticket_take(directory, timeout=5)

    assert time.monotonic() - began < 1
    ticket.release()
    assert os.listdir(directory) == []


def test_the_wait_is_bounded_and_the_late_writer_leaves_no_ticket(directory):
    held = ticket_take(directory, timeout=1)
    began = time.monotonic()

    with pytest.raises(QueueTimeout, match=r"1 writers still ahead after 0\.2 s"):
        ticket_take(directory, timeout=0.2)

    assert 0.2 <= time.monotonic() - began < 2
    assert len(os.listdir(directory)) == 1
    held.release()
