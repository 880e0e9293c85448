"""How the dashboard and progress pages grow with stored responses: 10^3 to 10^6, SQLite and PostgreSQL.

    .venv/bin/python bench/scale.py                                  # every size, both databases
    .venv/bin/python bench/scale.py --sizes 1000,10000 --databases sqlite
    .venv/bin/python bench/scale.py --explain                        # also print the slowest query's plan

Each size is one class of students with 100 responses each (10 students for
10^3, 10,000 for 10^6), filled by ``bench_dashboards.build`` with bulk_create:
whole attempts graded by the real rules with real snapshots. The progress page
belongs to one student of that class, whose own history stays at 100 responses:
only everyone else's data grows, which is what an index must make invisible.
Every (database, size) runs in a fresh database in its own process, with the
production settings, through Django's WSGI handler; each page is requested
``--runs`` times after one untimed request, and its queries are counted once.
PostgreSQL gets a VACUUM ANALYZE after the fill, as autovacuum would give it.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESPONSES_EACH = 100


def child(size: int, runs: int, explain: bool) -> dict:
    import request_cost as cost
    from bench_dashboards import build
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cost.setup_django()
    world = build(max(1, size // RESPONSES_EACH), RESPONSES_EACH)
    if connection.vendor == "postgresql":
        # As autovacuum leaves a table in use: until VACUUM marks the pages all-visible,
        # PostgreSQL reads the rows even when an index holds every column a query needs.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    User = get_user_model()
    teacher_cookie = {"sessionid": cost.session_cookie(User.objects.get(pk=world["teacher"]))}
    student_cookie = {"sessionid": cost.session_cookie(User.objects.get(pk=world["student"]))}
    students = User.objects.filter(classrooms=world["classroom"]).count()
    last_page = max(1, -(-students // 50))
    classroom = world["classroom"]
    htmx = {"HX-Request": "true"}
    pages = [
        ("Class dashboard, first page", teacher_cookie, "/teach/", f"classroom={classroom}", {}),
        (
            "Class dashboard, last page (htmx)",
            teacher_cookie,
            "/teach/",
            f"classroom={classroom}&page={last_page}",
            htmx,
        ),
        ("Student progress /me/", student_cookie, "/me/", "", {}),
    ]
    handler = cost.wsgi_handler()
    results = []
    for name, cookies, path, query, headers in pages:

        def environ(path=path, cookies=cookies, query=query, headers=headers):
            return cost.wsgi_environ("GET", path, cookies=cookies, query=query, headers=headers)

        cost.call(handler, environ())  # untimed: fills the database's caches as a running site has them
        timings = []
        for _ in range(runs):
            began = time.perf_counter()
            reply = cost.call(handler, environ())
            timings.append(time.perf_counter() - began)
            if reply.status != 200:
                raise SystemExit(f"{name}: status {reply.status}")
        with CaptureQueriesContext(connection) as captured:
            reply = cost.call(handler, environ())
        slowest = None
        if explain:
            slowest = slowest_query_plan(captured.captured_queries)
        results.append(
            {
                "page": name,
                "queries": len(captured.captured_queries),
                "bytes": len(reply.body),
                "median_ms": 1000 * statistics.median(timings),
                "max_ms": 1000 * max(timings),
                "plan": slowest,
            }
        )
    return {**world, "size": size, "students": students, "pages": results, "machine": cost.machine()}


def slowest_query_plan(queries: list[dict]) -> str:
    """EXPLAIN of the query that took longest in the counted request (PostgreSQL: with timings)."""
    from django.db import connection

    query = max(queries, key=lambda q: float(q["time"]))
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + query["sql"])
        plan = "\n".join(" | ".join(str(cell) for cell in row) for row in cursor.fetchall())
    return f"{query['time']} s: {query['sql'][:400]}…\n{plan}"


def run(kind: str, size: int, runs: int, explain: bool) -> dict:
    import request_cost as cost

    env = {**os.environ, "DATABASE_URL": cost.fresh_database(kind, "quiz_scale")}
    began = time.perf_counter()
    arguments = [sys.executable, __file__, "--child", str(size), "--runs", str(runs)] + (
        ["--explain"] if explain else []
    )
    done = subprocess.run(arguments, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"{kind} {size} failed")
    line = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    result.update(database=kind, total_seconds=time.perf_counter() - began)
    return result


def table(results: list[dict]) -> str:
    pages = [page["page"] for page in results[0]["pages"]]
    lines = [
        "| Database | Responses | Attempts | Students | "
        + " | ".join(f"{page}: ms (queries)" for page in pages)
        + " |",
        "| --- | ---: | ---: | ---: | " + " | ".join("---:" for _ in pages) + " |",
    ]
    for result in results:
        cells = [f"{page['median_ms']:.0f} ({page['queries']})" for page in result["pages"]]
        lines.append(
            f"| {result['database']} | {result['responses']:,} | {result['attempts']:,} | {result['students']:,} | "
            + " | ".join(cells)
            + " |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000", help="stored responses, comma-separated")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--runs", type=int, default=7, help="timed requests per page")
    parser.add_argument("--explain", action="store_true", help="print the plan of each page's slowest query")
    parser.add_argument("--json", metavar="FILE", help="also write every figure to this file")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    if options.child:
        import request_cost as cost

        cost.production_environment(os.environ["DATABASE_URL"])
        print("RESULT " + json.dumps(child(options.child, options.runs, options.explain)))
        return

    results = []
    for kind in options.databases.split(","):
        for size in (int(part) for part in options.sizes.split(",")):
            print(f"… {kind}, {size:,} responses", flush=True)
            result = run(kind, size, options.runs, options.explain)
            results.append(result)
            print(
                f"  filled in {result['fill_seconds']:.0f} s, measured in {result['total_seconds']:.0f} s", flush=True
            )
            for page in result["pages"]:
                print(
                    f"  {page['page']}: median {page['median_ms']:.1f} ms, slowest {page['max_ms']:.1f} ms, "
                    f"{page['queries']} queries, {page['bytes']:,} bytes",
                    flush=True,
                )
                if page["plan"]:
                    print("    " + page["plan"].replace("\n", "\n    "), flush=True)
    print()
    for machine in dict.fromkeys(result["machine"] for result in results):
        print(f"Scale: {machine}")
    print(
        f"Median of {options.runs} requests per page, after one untimed request; load average "
        f"{os.getloadavg()[0]:.1f} at the end"
    )
    print()
    print(table(results))
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
