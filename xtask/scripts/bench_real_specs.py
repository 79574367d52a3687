#!/usr/bin/env python3
"""The per-spec figures of BENCHMARKS.md's "Real-world specs" (issue 21): for each spec of
`../shared/real-specs/` (and its `oai-examples/`), the dev-profile generator writing a whole
crate (CPU, wall time, peak RSS, `/usr/bin/time`), the lines it wrote, and, for a spec that
generates, `cargo check` of that crate alone (CPU, wall, peak RSS of the largest rustc, CPU per
operation, and whether it warned). The runtime's dependencies come from `<target>/whole-api`, as
in `xtask/tests/real_specs.rs`; they are built first by an untimed check of the smallest crate, so
each timed check is of the generated crate alone (its files touched first, so it is checked again).

Prints a Markdown table; writes nothing else. The machine's load is printed too: at a high load
the wall times are several times the CPU time, which is the figure to compare.

Usage (from the repository root): python3 xtask/scripts/bench_real_specs.py [--no-check] [SPEC...]
(`SPEC` a file name of `real-specs/`, `kubernetes.json`; default: all of them)
"""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
SHARED = Path(os.environ.get("FALCON_SHARED", ROOT.parent / "shared"))
SPECS = SHARED / "real-specs"
WORK = TARGET / "bench" / "real-specs"
TIME = ["/usr/bin/time", "-f", "TIME %e %U %S %M"]


def timed(cmd, **kwargs):
    """Runs `cmd` under /usr/bin/time: (returncode, stdout, stderr, wall s, cpu s, peak MB)."""
    done = subprocess.run(TIME + cmd, capture_output=True, text=True, **kwargs)
    lines = done.stderr.splitlines()
    figures = next(l for l in reversed(lines) if l.startswith("TIME "))
    wall, user, system, kb = figures.split()[1:]
    stderr = "\n".join(l for l in lines if not l.startswith("TIME "))
    return done.returncode, done.stdout, stderr, float(wall), float(user) + float(system), int(kb) / 1024


def specs(names):
    found = sorted(p for p in SPECS.iterdir() if p.suffix in (".json", ".yaml"))
    found += sorted(p for p in (SPECS / "oai-examples").iterdir() if p.suffix in (".json", ".yaml"))
    return [p for p in found if not names or p.name in names]


def lines_of(crate):
    return sum(len(p.read_text().splitlines()) for p in (crate / "src").rglob("*.rs"))


def check(crate):
    """`cargo check` of one generated crate, its files touched so it is checked again."""
    for p in (crate / "src").rglob("*.rs"):
        p.touch()
    lock = crate / "Cargo.lock"
    if not lock.exists():
        lock.write_bytes((ROOT / "Cargo.lock").read_bytes())
    env = dict(os.environ, CARGO_TARGET_DIR=str(TARGET / "whole-api"))
    env.pop("RUSTFLAGS", None)
    return timed(
        ["cargo", "check", "--offline", "--quiet", "--message-format=short", "--features", "blocking"],
        cwd=crate,
        env=env,
    )


def main():
    args = sys.argv[1:]
    do_check = "--no-check" not in args
    names = [a for a in args if not a.startswith("--")]
    if not SPECS.is_dir():
        sys.exit(f"skipped: {SPECS} is not there (set FALCON_SHARED=DIR)")
    subprocess.run(["cargo", "build", "-q", "-p", "xtask"], cwd=ROOT, check=True)
    xtask = TARGET / "debug" / "xtask"
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", file=sys.stderr)
    rows = []
    for spec in specs(names):
        out = WORK / spec.stem
        crate_name = "real-" + re.sub(r"[^A-Za-z0-9]", "-", spec.stem)
        rc, stdout, stderr, wall, cpu, mb = timed(
            [str(xtask), "codegen", "--spec", str(spec), "--out", str(out), "--crate", crate_name],
            cwd=ROOT,
        )
        counts = re.search(r"(\d+) operations, (\d+) models", stdout)
        ops = int(counts.group(1)) if counts else None
        generated = rc == 0
        if not generated:
            errors = sum(1 for l in stderr.splitlines() if "error at " in l)
            what = f"refused ({errors} errors)"
        else:
            what = f"{lines_of(out):,} lines"
        print(f"{spec.name}: generation {cpu:.2f} s CPU ({wall:.1f} s wall), {mb:.0f} MB; {what}", file=sys.stderr)
        rows.append({"spec": spec.name, "ops": ops, "models": counts.group(2) if counts else "–",
                     "what": what, "gen": (cpu, wall, mb), "out": out, "generated": generated})
    if do_check:
        generated = [r for r in rows if r["generated"]]
        if generated:
            # The dependencies first, untimed, with the smallest crate.
            smallest = min(generated, key=lambda r: r["ops"] or 0)
            rc, _, stderr, *_ = check(smallest["out"])
            if rc != 0:
                sys.exit(f"cargo check of {smallest['spec']} failed:\n{stderr}")
        for r in generated:
            rc, _, stderr, wall, cpu, mb = check(r["out"])
            warned = "warning" in stderr
            r["check"] = (cpu, wall, mb, rc == 0 and not warned)
            if rc != 0 or warned:
                print(f"{r['spec']}: cargo check {'failed' if rc else 'warned'}:\n{stderr}", file=sys.stderr)
            print(f"{r['spec']}: check {cpu:.1f} s CPU ({wall:.1f} s wall), {mb:.0f} MB", file=sys.stderr)
    print(f"load average after: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    print("| spec | operations, models | generated code | generation: CPU (wall), peak memory "
          "| `cargo check` of the crate: CPU (wall), peak memory; CPU per operation |")
    print("| --- | --- | --- | --- | --- |")
    for r in rows:
        cpu, wall, mb = r["gen"]
        ops = f"{r['ops']:,}" if r["ops"] is not None else "–"
        checked = "–"
        if "check" in r:
            c_cpu, c_wall, c_mb, clean = r["check"]
            per_op = f"{1000 * c_cpu / r['ops']:.0f} ms" if r["ops"] else "–"
            checked = f"{c_cpu:.1f} s ({c_wall:.0f} s), {c_mb:.0f} MB; {per_op}"
            if not clean:
                checked += " (NOT clean: see stderr)"
        print(f"| `{r['spec']}` | {ops}, {r['models']} | {r['what']} | {cpu:.2f} s ({wall:.1f} s), {mb:.0f} MB | {checked} |")


if __name__ == "__main__":
    main()
