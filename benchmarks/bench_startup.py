"""Start-up benchmark: `eventwire extract` of a short article against bare ``spacy.load``.

Not a timed test: a script that prints figures, each beside a baseline measured in the same run.

    python benchmarks/bench_startup.py              # 5 runs of each, warm index cache
    python benchmarks/bench_startup.py --runs 9 --cold

Each figure is the CPU time (user + system) of a fresh process, read from the operating system
when it exits, so other processes on a shared machine barely move it; the median of ``--runs``
runs is printed. The baseline is ``python -c "import spacy; spacy.load(MODEL)"`` with the same
interpreter and model. Target (issue 18): extract <= 1.3 x spacy.load + 0.3 s.

With ``--cold`` a first run against an empty index cache is timed too: the one-off cost of
building the gazetteer and language-model indexes (see :mod:`eventwire.index_cache`), which
every process paid before they were cached.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHORT = (
    "Talks resume\n\nThe finance ministers of the two countries met in Nairobi on Tuesday and "
    "agreed to meet again next month, officials said.\n"
)
EXTRACT = "from eventwire.cli import main; main()"


def cpu_seconds(command: list[str], env: dict[str, str]) -> float:
    """User + system CPU seconds of one run of ``command`` (and any children it waited for)."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command} failed: {process.stderr.read() if process.stderr else ''}")
    return usage.ru_utime + usage.ru_stime


def median_cpu(command: list[str], env: dict[str, str], runs: int) -> float:
    return statistics.median(cpu_seconds(command, env) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default=None, help="spaCy model (default: eventwire's)")
    parser.add_argument("--cold", action="store_true", help="also time a build of the cache")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO / "src"))
    from eventwire.nlp import DEFAULT_MODEL

    model = args.model or DEFAULT_MODEL
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "src"), *sys.path[1:]])}
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "short.txt"
        article.write_text(SHORT)
        extract = [sys.executable, "-c", EXTRACT, "extract", str(article), "--model", model]
        bare = [sys.executable, "-c", f"import spacy; spacy.load({model!r})"]
        if args.cold:
            cold_env = {**env, "EVENTWIRE_CACHE_DIR": str(Path(folder) / "cache")}
            cold = cpu_seconds(extract, cold_env)
            warm = cpu_seconds(extract, cold_env)
            print(f"[cold] first extract, empty index cache: {cold:.2f} s CPU; next: {warm:.2f} s")
        cpu_seconds(extract, env)  # builds the index cache if it is not there yet
        base = median_cpu(bare, env, args.runs)
        ours = median_cpu(extract, env, args.runs)
    limit = 1.3 * base + 0.3
    verdict = "ok" if ours <= limit else "OVER"
    print(f"[startup] bare spacy.load {base:.2f} s CPU | eventwire extract (short article) "
          f"{ours:.2f} s CPU | ratio {ours / base:.2f}x | target <= 1.3x + 0.3 s = "
          f"{limit:.2f} s: {verdict}  (median of {args.runs} runs each)")  # fmt: skip


if __name__ == "__main__":
    main()
