"""Start-up time of ``manage.py`` commands that render nothing, and which PDF libraries they load.

Starts each command ``--runs`` times (default 5) as a fresh process and prints the median
wall time and the median CPU time (user + system, the figure that stays meaningful on a busy
machine), and whether WeasyPrint, pyHanko or pypdf were imported (read from ``-X importtime``).
Bytecode is compiled by a first, untimed run, as a deployment compiles it once.
The target is under 1 s for each command.

    .venv/bin/python bench/startup.py [--runs 5] [--project DIR] [--compare DIR]

``--project`` measures another checkout of the portal (by default this one), e.g. the
previous release unpacked with ``git archive <ref> | tar -x -C DIR``; ``--compare DIR`` prints
both side by side (before = DIR, after = this checkout). Each run uses a throw-away DATA_DIR.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["check"],
    ["help"],
    ["showmigrations", "--plan"],
    ["verify_pdf", "--help"],
    ["requeue_pending", "--help"],
]
PDF_LIBRARIES = ("weasyprint", "pyhanko", "pypdf")


def _environment(data_dir: str) -> dict[str, str]:
    """As a deployment starts: bytecode compiled once and read from then on (the warm-up run
    writes it under the scratch directory, so the checkout stays clean)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "DATABASE_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "DATA_DIR": data_dir,
            "DJANGO_SETTINGS_MODULE": "slaportal.settings",
            "PYTHONPYCACHEPREFIX": str(Path(data_dir) / "bytecode"),
        }
    )
    return env


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(project: Path, command: list[str], runs: int) -> tuple[float, float, list[str]]:
    """(median wall s, median CPU s, PDF libraries imported) of ``manage.py command``."""
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as data_dir:
        env = _environment(data_dir)
        argv = [sys.executable, "manage.py", *command]
        subprocess.run(
            argv, cwd=project, env=env, capture_output=True, check=True
        )  # warm the disk cache, compile
        for _ in range(runs):
            cpu, started = _children_cpu(), time.perf_counter()
            subprocess.run(argv, cwd=project, env=env, capture_output=True, check=True)
            walls.append(time.perf_counter() - started)
            cpus.append(_children_cpu() - cpu)
        traced = subprocess.run(
            [sys.executable, "-X", "importtime", *argv[1:]],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
        )
    modules = {
        line.split("|")[-1].strip() for line in traced.stderr.splitlines() if line.startswith("import time")
    }
    return statistics.median(walls), statistics.median(cpus), [lib for lib in PDF_LIBRARIES if lib in modules]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--project", type=Path, default=ROOT)
    parser.add_argument("--compare", type=Path, help="an earlier checkout, measured as 'before'")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; median of {args.runs} runs")
    projects = [("before", args.compare), ("after", args.project)] if args.compare else [("", args.project)]
    header = f"{'command':<28}" + "".join(
        f"{label + ' wall':>14}{label + ' CPU':>13}  {'PDF libraries':<22}" for label, _ in projects
    )
    print(header)
    for command in COMMANDS:
        row = f"{' '.join(command):<28}"
        for _label, project in projects:
            wall, cpu, libraries = measure(project, command, args.runs)
            row += f"{wall:>12.2f} s{cpu:>11.2f} s  {', '.join(libraries) or 'none':<22}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
