#!/usr/bin/env python3
"""DuckDB side of scripts/cases-bench.sh: reads the simulated events file (CSV) into a table
and groups it by day, province, origin and kind, timing each step.

    cases-duckdb.py FILE [--threads N]

Prints one JSON line: rows, groups, load_s, group_s, total_s, threads.
"""
import json
import sys
import time

import duckdb


def main() -> None:
    path = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
    con = duckdb.connect()
    con.execute(f"SET threads = {threads}")
    t0 = time.perf_counter()
    # Every column as text, as the register reads them; the day is the recorded time's date
    # (the times are written at Beijing's offset).
    con.execute(
        "CREATE TABLE events AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
        [path],
    )
    t1 = time.perf_counter()
    rows = con.execute("SELECT count(*) FROM events").fetchone()[0]
    t2 = time.perf_counter()
    groups = con.execute(
        """
        SELECT count(*) FROM (
          SELECT substr(recorded, 1, 10) AS day,
                 coalesce(substr(residence, 1, 2), substr(unit, 1, 2)) AS province,
                 coalesce(origin, '') AS origin,
                 type AS kind,
                 count(*) AS n
          FROM events
          GROUP BY ALL
        )
        """
    ).fetchone()[0]
    t3 = time.perf_counter()
    print(
        json.dumps(
            {
                "rows": rows,
                "groups": groups,
                "load_s": round(t1 - t0, 3),
                "group_s": round(t3 - t2, 3),
                "total_s": round(t3 - t0, 3),
                "threads": threads,
                "duckdb": duckdb.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
