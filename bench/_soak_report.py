"""The soak's verdict: what its logs, its receiver and the database's check say, as JSON."""

import json
import re
from collections import Counter
from pathlib import Path


def schedule_sends(folder: Path) -> Counter:
    """(minute, task) -> how many times the beats sent it."""
    sent = Counter()
    for log in folder.glob("beat*.log"):
        for line in log.read_text(errors="replace").splitlines():
            found = re.search(r"\[(\d{4}-\d\d-\d\d \d\d:\d\d).*Sending due task (\S+)", line)
            if found:
                sent[found.groups()] += 1
    return sent


def jobs_per_worker(folder: Path, workers: int = 3) -> dict[int, int]:
    return {
        n: len(re.findall(r"succeeded in", (folder / f"worker{n}.log").read_text(errors="replace")))
        for n in range(workers)
    }


def verdict(soak, checked: dict, received: Counter) -> tuple[dict, list[str]]:
    """The figures and the list of failed checks."""
    statuses, during = soak.statuses, soak.during
    titles = checked["titles"]
    lost = [pk for pk, title in soak.created if titles.get(title, 0) == 0]
    twice = [title for _, title in soak.created if titles.get(title, 0) > 1]
    readings_lost = sorted(set(soak.readings) - set(checked["readings"]))
    deliveries = checked["deliveries"]
    delivered_unseen = [e for e in deliveries["delivered"] if not received[e]]
    received_twice = {e: n for e, n in received.items() if n > 1}
    sent = schedule_sends(soak.folder)
    beat_doubles = {" ".join(k): n for k, n in sent.items() if n > 1}
    work = jobs_per_worker(soak.folder)
    refused = sum(n for k, n in statuses.items() if str(k).startswith("connection"))
    refused_outside = refused - sum(
        n for k, n in during["web server down"].items() if str(k).startswith("connection")
    )
    problems = []
    if statuses[500]:
        problems.append(f"{statuses[500]} x 500")
    if lost or twice or readings_lost:
        problems.append(
            f"writes lost {len(lost)}, twice {len(twice)}, readings lost {len(readings_lost)}"
        )
    outside = statuses[503] - during["PostgreSQL down"][503]
    if outside:
        problems.append(f"{outside} x 503 outside the database outage")
    if refused_outside:
        problems.append(f"{refused_outside} connections failed outside the web server's death")
    if checked["open_twice"] or checked["notifications_beyond_flags"]:
        problems.append("duplicate flags or notifications")
    if received_twice or delivered_unseen or deliveries["pending"] or deliveries["failed"]:
        problems.append("webhook deliveries duplicated, missing or not done")
    if checked["velocity_changed_by_recompute"] or checked["recompute_rows_written"]:
        problems.append("velocity differs from a clean recompute")
    if checked["sweep_raised"] or checked["sweep_cleared"]:
        problems.append("flags differ from a clean sweep")
    if beat_doubles:
        problems.append(f"schedule sent twice: {beat_doubles}")
    if not all(work.values()):
        problems.append(f"a worker ran nothing: {work}")
    rss_start, rss_end = soak.rss
    figures = {
        "seconds": soak.seconds,
        "clients": soak.clients,
        "faults": soak.done,
        "answers": {str(k): v for k, v in statuses.items()},
        "answers_during_faults": {
            fault: {str(k): v for k, v in answers.items()} for fault, answers in during.items()
        },
        "503_outside_the_database_outage": outside,
        "acknowledged": {"use_cases": len(soak.created), "readings": len(soak.readings)},
        "lost": len(lost),
        "stored_twice": len(twice),
        "readings_lost": len(readings_lost),
        "drained_in_s": round(soak.drained),
        "webhooks": {
            "delivered": len(deliveries["delivered"]),
            "pending": len(deliveries["pending"]),
            "failed": len(deliveries["failed"]),
            "requests_received": sum(received.values()),
            "delivery_ids_received_twice": len(received_twice),
            "delivered_but_not_received": len(delivered_unseen),
        },
        "checks": {
            k: v for k, v in checked.items() if k not in ("titles", "readings", "deliveries")
        },
        "schedule_sent_twice": len(beat_doubles),
        "schedule_sends": sum(sent.values()),
        "jobs_per_worker": work,
        "web_rss_kib_start_end": {k: [v, rss_end.get(k)] for k, v in rss_start.items()},
        "problems": problems,
    }
    return figures, problems


def print_figures(figures: dict) -> None:
    print(json.dumps(figures, indent=1), flush=True)
