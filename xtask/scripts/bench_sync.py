#!/usr/bin/env python3
"""`cargo xtask bench sync`: the figures of `falcon-ioc sync` (issue 19), written into their block
of BENCHMARKS.md.

The release `falcon-ioc` against the release `ioc-simulator`, each in its own process, on a
generated 100,000-row CSV feed: the first sync into an empty source, the re-sync of the unchanged
feed, their wall time and falcon-ioc's peak RSS (`/usr/bin/time`); then, against a fresh
simulator, the same first sync written as a plain sequential FalconPy script (batches of the
same size, one request at a time) as the anchor. FalconPy comes from PyPI
(`pip install crowdstrike-falconpy`); without it that row says so.

The machine these figures come from is shared, so wall times move with its load: every phase
also records the load average when it starts and the CPU seconds (user + sys) each process
spent on it (falcon-ioc's from `/usr/bin/time`, the simulator's from `/proc/PID/stat`, the
FalconPy script's from `getrusage`), which the load does not move. `--runs N` (default 3)
repeats the whole round, ours and FalconPy's interleaved, and reports the median.

Usage: python3 xtask/scripts/bench_sync.py [--rows N] [--runs N] [--no-write] [--no-build]
"""

import csv
import os
import re
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
WORK = TARGET / "bench" / "sync"
CLIENT_ID, CLIENT_SECRET = "sim-client-id", "sim-client-secret"
# ioc-sync's create batch (the service's limit, from the operation table), so both sides send the same requests.
BATCH = 2000
START, END = "<!-- sync-bench:start (written by `cargo xtask bench sync`; edit outside these markers) -->", "<!-- sync-bench:end -->"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Simulator:
    """The release simulator in its own process."""

    def __init__(self):
        self.port = free_port()
        self.proc = subprocess.Popen(
            [str(TARGET / "release" / "ioc-simulator"), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the simulator did not start")

    def cpu(self):
        """CPU seconds (user + sys) the simulator has spent so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def sha(i, n):
    return format((i * 0x9E3779B97F4A7C15 + n) & 0xFFFFFFFFFFFFFFFF, "016x")


def make_feed(path, rows):
    """type,value,severity,tags: 60% sha256, 10% md5, 20% domains, 10% IPv4."""
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["type", "value", "severity", "tags"])
        for i in range(rows):
            sev = ("low", "medium", "high", "critical")[i % 4]
            k = i % 10
            if k < 6:
                row = ["sha256", sha(i, 1) + sha(i, 2) + sha(i, 3) + sha(i, 4)]
            elif k == 6:
                row = ["md5", sha(i, 5) + sha(i, 6)]
            elif k < 9:
                row = ["domain", f"host{i}.bench.example.com"]
            else:
                row = ["ipv4", f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"]
            w.writerow(row + [sev, f"bench;t{i % 7}"])


class Phase:
    """One measured phase: wall seconds, CPU seconds of the client and of the simulator, the
    load average when it started, and what it reports."""

    def __init__(self, wall, client_cpu, sim_cpu, load, rss_mb=None, note=""):
        self.wall, self.client_cpu, self.sim_cpu = wall, client_cpu, sim_cpu
        self.load, self.rss_mb, self.note = load, rss_mb, note


def run_cli(sim, feed):
    """falcon-ioc sync, as one Phase."""
    env = dict(os.environ, FALCON_CLIENT_ID=CLIENT_ID, FALCON_CLIENT_SECRET=CLIENT_SECRET)
    load = os.getloadavg()[0]
    sim_before = sim.cpu()
    cmd = [
        "/usr/bin/time", "-f", "%M %U %S",
        str(TARGET / "release" / "falcon-ioc"), "sync", str(feed), "--source", "bench",
        "--action", "detect", "--severity", "medium", "--platforms", "windows,mac,linux",
        "--base-url", sim.url,
    ]
    t = time.monotonic()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - t
    sim_cpu = sim.cpu() - sim_before
    if out.returncode != 0:
        raise SystemExit(f"falcon-ioc sync exited {out.returncode}: {out.stdout}{out.stderr}")
    rss_kb, user, sys_ = out.stderr.strip().splitlines()[-1].split()
    return Phase(wall, float(user) + float(sys_), sim_cpu, load, int(rss_kb) / 1024, out.stdout.strip())


def run_falconpy(sim, feed):
    """The same first sync as a plain FalconPy script: batches of BATCH, one after another."""
    try:
        from falconpy import IOC
    except ImportError:
        return None
    load = os.getloadavg()[0]
    sim_before = sim.cpu()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    t = time.monotonic()
    ioc = IOC(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, base_url=sim.url)
    batch, created = [], 0

    def send():
        nonlocal created
        r = ioc.indicator_create(body={"indicators": batch})
        if r["status_code"] not in (200, 201):
            raise SystemExit(f"FalconPy create failed: {r['status_code']} {r['body'].get('errors')}")
        created += len(r["body"]["resources"])

    with open(feed, newline="") as f:
        for row in csv.DictReader(f):
            batch.append({
                "type": row["type"], "value": row["value"], "action": "detect",
                "severity": row["severity"], "platforms": ["windows", "mac", "linux"],
                "tags": row["tags"].split(";"), "source": "bench", "applied_globally": True,
            })
            if len(batch) == BATCH:
                send()
                batch = []
    if batch:
        send()
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (after.ru_utime - usage.ru_utime) + (after.ru_stime - usage.ru_stime)
    return Phase(wall, cpu, sim.cpu() - sim_before, load, note=f"{created:,} created")


def median(phases, attr):
    return statistics.median(getattr(p, attr) for p in phases)


def figures(phases):
    """`wall W s (runs a, b, c; load l1, l2, l3); CPU: falcon-ioc C s, simulator S s`."""
    walls = ", ".join(f"{p.wall:.2f}" for p in phases)
    loads = ", ".join(f"{p.load:.1f}" for p in phases)
    return (
        f"{median(phases, 'wall'):.2f} s (runs {walls} s; load {loads})",
        f"{median(phases, 'client_cpu'):.2f} s / {median(phases, 'sim_cpu'):.2f} s",
    )


def main():
    rows, runs, write, build = 100_000, 3, True, True
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--rows":
            rows = int(args.pop(0))
        elif a == "--runs":
            runs = max(1, int(args.pop(0)))
        elif a == "--no-write":
            write = False
        elif a == "--no-build":
            build = False
        else:
            raise SystemExit(__doc__)
    if build:
        subprocess.run(["cargo", "build", "--release", "-p", "falcon-ioc", "-p", "ioc-simulator"],
                       cwd=ROOT, check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    feed = WORK / f"feed-{rows}.csv"
    make_feed(feed, rows)

    firsts, agains, anchors = [], [], []
    for run in range(runs):
        sim = Simulator()
        try:
            firsts.append(run_cli(sim, feed))
            agains.append(run_cli(sim, feed))
        finally:
            sim.stop()
        sim = Simulator()
        try:
            anchor = run_falconpy(sim, feed)
        finally:
            sim.stop()
        if anchor is not None:
            anchors.append(anchor)
        a = f", FalconPy {anchor.wall:.2f} s" if anchor else ""
        print(f"run {run + 1}/{runs}: first sync {firsts[-1].wall:.2f} s, re-sync "
              f"{agains[-1].wall:.2f} s{a} (load {firsts[-1].load:.2f})", file=sys.stderr)

    first_wall, again_wall = median(firsts, "wall"), median(agains, "wall")
    rss = (max(p.rss_mb for p in firsts), max(p.rss_mb for p in agains))
    first_fig, first_cpu = figures(firsts)
    again_fig, again_cpu = figures(agains)
    lines = [
        f"Run of {time.strftime('%Y-%m-%d %H:%M')} UTC, `cargo xtask bench sync` "
        f"({rows:,} rows, {runs} run(s), medians; load average when each phase started in brackets; "
        f"the machine is shared, so wall times carry that noise and CPU seconds do not).",
        "",
        "| figure | wall (median) | CPU s, client / simulator (median) | target | holds |",
        "| --- | --- | --- | --- | --- |",
        f"| first sync into an empty source (`falcon-ioc sync`: {firsts[-1].note}) | {first_fig} | {first_cpu} | ≤ 10 s | {'yes' if first_wall <= 10 else 'no'} |",
        f"| re-sync of the unchanged feed ({agains[-1].note}) | {again_fig} | {again_cpu} | ≤ 3 s | {'yes' if again_wall <= 3 else 'no'} |",
        f"| `falcon-ioc` peak RSS, first sync / re-sync (largest of the runs) | {rss[0]:.0f} MB / {rss[1]:.0f} MB | | ≤ 200 MB | {'yes' if max(rss) <= 200 else 'no'} |",
    ]
    if not anchors:
        lines.append("| the same first sync as a sequential FalconPy script | not run: FalconPy is not installed (`pip install crowdstrike-falconpy`) | | ours ≥ 2× faster | – |")
    else:
        anchor_fig, anchor_cpu = figures(anchors)
        ratios = [a.wall / f.wall for a, f in zip(anchors, firsts)]
        ratio = statistics.median(ratios)
        lines.append(
            f"| the same first sync as a sequential FalconPy script (batches of {BATCH}; {anchors[-1].note}) | {anchor_fig} → ours **{ratio:.1f}×** faster (per run: {', '.join(f'{r:.1f}' for r in ratios)}) | {anchor_cpu} | ours ≥ 2× faster | {'yes' if ratio >= 2 else 'no'} |"
        )
    block = "\n".join(lines)
    print(block)
    if write:
        path = ROOT / "BENCHMARKS.md"
        text = path.read_text()
        if START in text:
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{block}\n{END}", text, flags=re.S)
        else:
            text += f"\n{START}\n{block}\n{END}\n"
        path.write_text(text)


if __name__ == "__main__":
    main()
