#!/usr/bin/env python3
"""Latency of one new case event submitted over HTTP until the day's derived figures show it:
`POST /api/v1/cases` answers once the register has applied the event (its day's figures
updated) and the ledger has committed it, so the answer's latency is that time. One keep-alive
connection, one event at a time, measured at the client (an upper bound).

    scripts/cases-latency.py http://127.0.0.1:PORT TOKEN UNIT COUNT

Each event is a new confirmed case card of UNIT (a reporter's token for UNIT), recorded now.
After a warm-up event (which builds the server's register from the ledger), prints the count,
mean, p50, p99 and max in milliseconds, and fails on any answer other than 201.
"""
import http.client
import json
import sys
import time
import urllib.parse
from datetime import datetime, timedelta, timezone


def main():
    base, token, unit, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    county = unit[:2] + "0102"
    beijing = timezone(timedelta(hours=8))
    stamp = datetime.now(beijing)
    day = stamp.date().isoformat()
    run = int(time.time())

    def post(i):
        event = {
            "event": f"lat-{run}-{i}",
            "recorded": stamp.isoformat(timespec="seconds"),
            "author": "latency",
            "unit": unit,
            "type": "card",
            "card": f"L{run}-{i}",
            "disease": "COVID-19",
            "classification": "confirmed",
            "severity": "mild",
            "origin": "local",
            "residence": county,
            "institution": county,
            "report": day,
            "audit": day,
        }
        body = json.dumps(event)
        conn.request(
            "POST",
            "/api/v1/cases",
            body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        r = conn.getresponse()
        text = r.read()
        if r.status != 201:
            sys.exit(f"event {i}: HTTP {r.status}: {text[:400]!r}")

    t = time.perf_counter()
    post(0)
    print(f"warm-up (the register built from the ledger): {(time.perf_counter() - t):.2f} s")
    times = []
    for i in range(1, count + 1):
        t = time.perf_counter()
        post(i)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    n = len(times)
    print(
        f"{n} events: mean {sum(times) / n:.2f} ms, p50 {times[n // 2]:.2f}, "
        f"p99 {times[min(n - 1, int(n * 0.99))]:.2f}, max {times[-1]:.2f}"
    )


if __name__ == "__main__":
    main()
