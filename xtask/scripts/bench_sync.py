#!/usr/bin/env python3
"""`cargo xtask bench sync`: the figures of `falcon-ioc sync` (issue 19), written into their block
of BENCHMARKS.md.

The release `falcon-ioc` against the release `ioc-simulator`, each in its own process, on a
generated 100,000-row CSV feed: the first sync into an empty source, the re-sync of the unchanged
feed, their wall time and falcon-ioc's peak RSS (`/usr/bin/time`); then, against a fresh
simulator, the same first sync written as a plain sequential FalconPy script (batches of the
same size, one request at a time) as the anchor. FalconPy comes from PyPI
(`pip install crowdstrike-falconpy`); without it that row says so.

Usage: python3 xtask/scripts/bench_sync.py [--rows N] [--no-write]
"""

import csv
import os
import re
import socket
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


def run_cli(sim, feed):
    """falcon-ioc sync: (wall seconds, peak RSS MB, summary line)."""
    env = dict(os.environ, FALCON_CLIENT_ID=CLIENT_ID, FALCON_CLIENT_SECRET=CLIENT_SECRET)
    cmd = [
        "/usr/bin/time", "-f", "%M",
        str(TARGET / "release" / "falcon-ioc"), "sync", str(feed), "--source", "bench",
        "--action", "detect", "--severity", "medium", "--platforms", "windows,mac,linux",
        "--base-url", sim.url,
    ]
    t = time.monotonic()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - t
    if out.returncode != 0:
        raise SystemExit(f"falcon-ioc sync exited {out.returncode}: {out.stdout}{out.stderr}")
    rss_kb = int(out.stderr.strip().splitlines()[-1])
    return wall, rss_kb / 1024, out.stdout.strip()


def run_falconpy(sim, feed):
    """The same first sync as a plain FalconPy script: batches of BATCH, one after another."""
    try:
        from falconpy import IOC
    except ImportError:
        return None
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
    return time.monotonic() - t, created


def main():
    rows, write = 100_000, True
    args = sys.argv[1:]
    while args:
        a = args.pop(0)
        if a == "--rows":
            rows = int(args.pop(0))
        elif a == "--no-write":
            write = False
        else:
            raise SystemExit(__doc__)
    subprocess.run(["cargo", "build", "--release", "-p", "falcon-ioc", "-p", "ioc-simulator"],
                   cwd=ROOT, check=True)
    WORK.mkdir(parents=True, exist_ok=True)
    feed = WORK / f"feed-{rows}.csv"
    make_feed(feed, rows)

    sim = Simulator()
    try:
        first = run_cli(sim, feed)
        again = run_cli(sim, feed)
    finally:
        sim.stop()
    sim = Simulator()
    try:
        anchor = run_falconpy(sim, feed)
    finally:
        sim.stop()

    load = os.getloadavg()
    lines = [
        f"Run of {time.strftime('%Y-%m-%d %H:%M')} UTC, `cargo xtask bench sync` "
        f"({rows:,} rows; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at the end; "
        f"the machine is shared, wall times carry that noise).",
        "",
        "| figure | measured | target | holds |",
        "| --- | --- | --- | --- |",
        f"| first sync into an empty source, wall (`falcon-ioc sync`) | {first[0]:.2f} s ({first[2]}) | ≤ 10 s | {'yes' if first[0] <= 10 else 'no'} |",
        f"| re-sync of the unchanged feed, wall | {again[0]:.2f} s ({again[2]}) | ≤ 3 s | {'yes' if again[0] <= 3 else 'no'} |",
        f"| `falcon-ioc` peak RSS, first sync / re-sync | {first[1]:.0f} MB / {again[1]:.0f} MB | ≤ 200 MB | {'yes' if max(first[1], again[1]) <= 200 else 'no'} |",
    ]
    if anchor is None:
        lines.append("| the same first sync as a sequential FalconPy script | not run: FalconPy is not installed (`pip install crowdstrike-falconpy`) | ours ≥ 2× faster | – |")
    else:
        ratio = anchor[0] / first[0]
        lines.append(
            f"| the same first sync as a sequential FalconPy script (batches of {BATCH}) | {anchor[0]:.2f} s ({anchor[1]:,} created) → ours **{ratio:.1f}×** faster | ours ≥ 2× faster | {'yes' if ratio >= 2 else 'no'} |"
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
