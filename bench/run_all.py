"""`make bench`: the speed benchmarks of issue 11, one after the other, each printing its table.

    python bench/run_all.py              # full sizes (about half an hour on this 2-core machine)
    python bench/run_all.py --quick      # small sizes, to see that everything runs

PostgreSQL runs when $FORETHOUGHT_TEST_POSTGRES_URL names a server.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
FULL = (["foundation.py"], ["scoring_bench.py", "--forecasts", "1000000"], ["import_bench.py"])
QUICK = (["foundation.py", "--runs", "5"],
         ["scoring_bench.py", "--forecasts", "10000", "--repeat", "2"],
         ["import_bench.py", "--forecasts", "20000", "--repeat", "1"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, few runs")
    args = parser.parse_args()
    failed = []
    for script, *rest in QUICK if args.quick else FULL:
        print(f"\n$ python bench/{script} {' '.join(rest)}", flush=True)
        if subprocess.run([sys.executable, str(HERE / script), *rest]).returncode:
            failed.append(script)
    if failed:
        raise SystemExit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
