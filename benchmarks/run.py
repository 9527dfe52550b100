"""`python -m benchmarks`: run every benchmark and write RESULTS.md, results.json and a plot.

    python -m benchmarks                         # everything, ~15 minutes
    python -m benchmarks --quick                 # fewer rounds and repetitions
    python -m benchmarks --workloads xor,small --rounds 31 --skip e2e,sweep
    python -m benchmarks --kernels auto,Haswell  # once per OpenBLAS kernel

The step timings of each kernel run in a child process started with that kernel's
environment (OpenBLAS reads OPENBLAS_CORETYPE once, when it loads): "env" keeps the
environment as it is, "auto" unsets OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE together
(OpenBLAS's own choice), any other name sets OPENBLAS_CORETYPE to it. Within one kernel
every implementation runs in the same process and environment.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import extras, report, scale
from benchmarks.implementations import IMPLEMENTATIONS
from benchmarks.workloads import WORKLOADS

HERE = Path(__file__).resolve().parent
EXTRAS = scale.WHOLE_PROCESS
SECTIONS = ("steps", *EXTRAS)  # what --skip can leave out


def kernel_env(kernel: str) -> dict[str, str]:
    env = dict(os.environ)
    if kernel != "env":
        env.pop("OPENBLAS_CORETYPE", None)
        env.pop("OPENBLAS_L2_SIZE", None)
        if kernel != "auto":
            env["OPENBLAS_CORETYPE"] = kernel
    # the child imports `benchmarks` from this checkout, wherever it is started from
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH")]))
    return env


def default_kernels() -> str:
    """The environment as it is, plus OpenBLAS's own choice when the environment forces one."""
    return "env,auto" if os.environ.get("OPENBLAS_CORETYPE") else "env"


def run_steps(kernel: str, args: argparse.Namespace) -> dict[str, Any]:
    """The step timings of one kernel: `--processes` child processes, merged."""
    runs = []
    for i in range(args.processes):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp, "steps.json")
            command = [sys.executable, "-m", "benchmarks.steps", "--json", str(out),
                       "--rounds", str(args.rounds), "--burst", str(args.burst),
                       "--workloads", args.workloads, "--implementations",
                       args.implementations, "--quiet", str(args.quiet)]
            if args.tiny:
                command.append("--tiny")
            print(f"kernel {kernel}, process {i + 1} of {args.processes}:", file=sys.stderr,
                  flush=True)
            subprocess.run(command, env=kernel_env(kernel), check=True)
            runs.append(json.loads(out.read_text()))
    result = merge(runs)
    result["name"] = kernel
    return result


def merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Several processes' results as one: per workload, the median over processes of each
    ratio and time, with the ratios' range. Separate processes differ by more than rounds
    within one do (where the buffers landed, how the threads were placed), so the spread
    between processes is the honest error bar."""
    merged = dict(runs[0], processes=len(runs))
    merged["suites"] = {}
    for suite, rows in runs[0]["suites"].items():
        merged["suites"][suite] = []
        for i, row in enumerate(rows):
            same = [run["suites"][suite][i] for run in runs]
            row = dict(row, loaded_rounds=sum(r["loaded_rounds"] for r in same),
                       rounds=sum(r["rounds"] for r in same))
            row["median_s"] = {k: statistics.median(r["median_s"][k] for r in same)
                               for k in row["median_s"]}
            row["ratios"] = {k: statistics.median(r["ratios"][k] for r in same)
                             for k in row["ratios"]}
            row["ratio_range"] = {k: (min(r["ratios"][k] for r in same),
                                      max(r["ratios"][k] for r in same)) for k in row["ratios"]}
            merged["suites"][suite].append(row)
    merged["blas"]["load_average"] = runs[-1]["blas"]["load_average"]
    return merged


def compile_nnlite() -> None:
    """Compile nnlite's bytecode before timing whole processes, as pip does when it
    installs a wheel. An editable install writes it on first use, unless
    PYTHONDONTWRITEBYTECODE is set (as in many containers): then every process compiles
    nnlite from source, about 0.1 s more per start, which a user need not pay."""
    import compileall

    import nnlite

    compileall.compile_dir(str(Path(nnlite.__file__).parent), quiet=1)


def checkout_commit() -> str | None:
    """The commit of the checkout being measured, to tell kept sections' code apart."""
    try:  # "-dirty" when the checkout has uncommitted changes
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=HERE,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _earlier(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _kept_by(earlier: dict[str, Any], section: str) -> str:
    """The command (and commit) that measured `section`, following earlier keeps."""
    if section in earlier.get("kept", {}):
        return earlier["kept"][section]
    commit = earlier.get("commit")
    return earlier.get("command", "?") + (f" (at {commit})" if commit else "")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="5 rounds, shorter bursts, fewer repetitions of the extras")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 21, quick 5)")
    parser.add_argument("--burst", type=float, help="seconds per timed burst (default 0.05)")
    parser.add_argument("--processes", type=int,
                        help="step timings repeated in this many fresh processes per kernel, "
                             "medians reported with their range (default 3, quick/tiny 1)")
    parser.add_argument("--workloads", default=",".join(WORKLOADS),
                        help=f"comma-separated, from {', '.join(WORKLOADS)}")
    parser.add_argument("--implementations", default=",".join(IMPLEMENTATIONS))
    parser.add_argument("--kernels", default=default_kernels(),
                        help="comma-separated: env, auto or an OPENBLAS_CORETYPE name")
    parser.add_argument("--quiet", type=float,
                        help="wait before each round until other processes use less than this "
                             "share of the CPUs (default 0.1, tiny: -1 = never wait)")
    parser.add_argument("--skip", default="",
                        help=f"comma-separated, from {', '.join(SECTIONS)}; a skipped section "
                             "is kept from OUT/results.json when it holds one (and RESULTS.md "
                             "says so), so a long run can be done in parts")
    parser.add_argument("--out", type=Path, default=HERE, help="where RESULTS.md etc. go")
    parser.add_argument("--tiny", action="store_true",
                        help="a 5-7-3 net only and no extras: the smoke test")
    args = parser.parse_args(argv)
    for name in args.workloads.split(","):
        if name not in WORKLOADS:
            parser.error(f"unknown workload {name!r}; known: {', '.join(WORKLOADS)}")
    for name in args.implementations.split(","):
        if name not in IMPLEMENTATIONS:
            parser.error(f"unknown implementation {name!r}; known: {', '.join(IMPLEMENTATIONS)}")
    args.skip = set(filter(None, args.skip.split(","))) | (set(EXTRAS) if args.tiny else set())
    for name in args.skip - set(SECTIONS):
        parser.error(f"unknown section {name!r} in --skip; known: {', '.join(SECTIONS)}")
    if args.rounds is None:
        args.rounds = 2 if args.tiny else 5 if args.quick else 21
    if args.processes is None:
        args.processes = 1 if args.tiny or args.quick else 3
    if args.quiet is None:
        args.quiet = -1.0 if args.tiny else 0.1
    if args.burst is None:
        args.burst = 0.005 if args.tiny else 0.02 if args.quick else 0.05
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    command = shlex.join(["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    earlier = {} if args.tiny else _earlier(args.out / "results.json")
    results: dict[str, Any] = {"command": command, "kept": {}}
    kept_kernels = [k.get("name") for k in earlier.get("kernels", [])]
    if "steps" in args.skip and kept_kernels and kept_kernels != args.kernels.split(","):
        raise SystemExit(f"--skip steps keeps step timings of kernels {kept_kernels}, not "
                         f"the {args.kernels.split(',')} asked for: measure them, or ask "
                         "for those")
    for section in sorted(args.skip):  # measured by an earlier command: say which
        key = "kernels" if section == "steps" else section
        if key in earlier:
            results[key] = earlier[key]
            results["kept"][section] = _kept_by(earlier, section)
    if "kernels" not in results:  # the step timings are run unless kept
        results["kernels"] = [run_steps(k, args) for k in args.kernels.split(",")]
    env = kernel_env(args.kernels.split(",")[0])
    implementations = results["kernels"][0]["implementations"]
    measured = [name for name in EXTRAS if name not in args.skip]
    if measured or "steps" not in results["kept"]:  # the commit of what this command timed
        results["commit"] = checkout_commit()
    if measured:
        compile_nnlite()
        results["dont_write_bytecode"] = os.environ.get("PYTHONDONTWRITEBYTECODE") or "(unset)"
    reps = 1 if args.quick else 2
    if "rss" not in args.skip:
        print("peak RSS", file=sys.stderr, flush=True)
        results["rss"] = extras.peak_rss(implementations, env=env)
    if "import" not in args.skip:
        print("import time", file=sys.stderr, flush=True)
        results["import"] = extras.import_time(runs=5 * reps + 1, env=env)
    if "e2e" not in args.skip:
        print("end to end", file=sys.stderr, flush=True)
        results["e2e"] = extras.end_to_end(runs=2 * reps + 1, env=env)
    if "sweep" not in args.skip:
        print("sweep", file=sys.stderr, flush=True)
        results["sweep"] = extras.sweep(runs=reps, env=env)
    for name, measure in scale.RUNS.items():  # floor, cpu, parallel, digits
        if name not in args.skip:
            print(name, file=sys.stderr, flush=True)
            results[name] = measure(runs=reps + 1, env=env)
    for name in measured:  # each section says what it ran on, kept or not
        if isinstance(results.get(name), dict):
            results[name]["compiled_bytecode"] = True
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (args.out / "RESULTS.md").write_text(report.markdown(results))
    report.plot(results, args.out / "ratios.png")
    print(f"wrote {args.out / 'RESULTS.md'}", file=sys.stderr)
    return 0
