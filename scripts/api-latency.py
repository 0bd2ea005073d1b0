#!/usr/bin/env python3
"""Latency of GET requests to a live `epiledger serve`, one keep-alive connection, one request
at a time, measured at the client (so it includes the client's own time: an upper bound).

    scripts/api-latency.py http://127.0.0.1:PORT ROUNDS PATH...

Each round requests every PATH once, in order, after one warm-up round. `{i}` in a PATH is
replaced by the round's number (0 for the warm-up), so that every round asks something new
(an answer the server has not kept). Prints the count, the mean, p50, p99 and max in
milliseconds, and fails on any answer other than 200.
"""
import http.client
import sys
import time
import urllib.parse


def main():
    base, rounds, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port)

    def get(path):
        conn.request("GET", path)
        r = conn.getresponse()
        body = r.read()
        if r.status != 200:
            sys.exit(f"{path}: HTTP {r.status}: {body[:300]!r}")
        return len(body)

    for p in paths:
        get(p.replace("{i}", "0"))
    times, size = [], 0
    for i in range(1, rounds + 1):
        for p in paths:
            p = p.replace("{i}", str(i))
            t = time.perf_counter()
            size += get(p)
            times.append((time.perf_counter() - t) * 1000)
    times.sort()
    q = lambda f: times[min(len(times) - 1, int(f * len(times)))]
    print(
        f"{len(times)} requests, {size / len(times) / 1024:.0f} KiB each on average: "
        f"mean {sum(times) / len(times):.2f} ms, p50 {q(0.5):.2f} ms, p99 {q(0.99):.2f} ms, "
        f"max {times[-1]:.2f} ms"
    )


if __name__ == "__main__":
    main()
