#!/usr/bin/env python3
"""cperf against perf, side by side, in one run, on the same workloads.

Prints a markdown table (min and median over --reps repetitions, and the
cperf/perf ratio of the medians) and one machine-readable line per metric:
  BENCH {"metric": ..., "unit": ..., "perf_min": ..., "perf_median": ...,
         "cperf_min": ..., "cperf_median": ..., "ratio": ...}
Run as root. Usage: make bench  (or bench/run.py --cperf PATH --busy PATH)
"""
import argparse
import json
import os
import platform
import re
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time


def start(a, cmd, tag):
    """Starts cmd under bench/measure, which records the CPU time and peak
    RSS of cmd alone (see measure.c for why Python's wait4 cannot)."""
    res = os.path.join(a.tmp, f"measure-{tag}")
    if os.path.exists(res):
        os.unlink(res)
    p = subprocess.Popen([a.measure, res] + cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE)
    p.result_path = res
    return p


def finish(p):
    """Waits for a process from start(); returns (status, user+sys s, max RSS MB)."""
    err = p.communicate()[1]
    try:
        with open(p.result_path) as f:
            code, cpu, rss = f.read().split()
    except OSError:
        raise RuntimeError(f"measure failed: {err.decode(errors='replace')[-400:]}")
    p.stderr_text = err.decode(errors="replace")
    return int(code), float(cpu), int(rss) / 1024.0


def timed(a, cmd):
    """Runs cmd; returns (wall s, cpu s, max RSS MB, status)."""
    t0 = time.monotonic()
    p = start(a, cmd, "timed")
    rc, cpu, rss = finish(p)
    wall = time.monotonic() - t0
    if rc != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {rc}: {p.stderr_text[-500:]}")
    return wall, cpu, rss, rc


def busy_time(busy, threads, mrounds):
    out = subprocess.run([busy, str(threads), str(mrounds)], check=True,
                         capture_output=True, text=True).stdout
    return float(re.search(r"busy: ([0-9.]+) s", out).group(1))


def perf_stats(path):
    """Sample and lost-sample counts of a perf.data file (file mode), read
    here from the records themselves so that both tools' files are counted
    the same way: SAMPLE records, and the larger of the samples that the
    LOST records report (ring overflows) and that LOST_SAMPLES records
    report (perf's end-of-run count from the kernel; cperf writes none)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"PERFILE2":
        raise RuntimeError(f"{path}: not a perf.data file")
    off, size = struct.unpack_from("<QQ", data, 40)
    end = min(off + size, len(data))
    samples = lost = lost_samples = 0
    while off + 8 <= end:
        typ, _, rsize = struct.unpack_from("<IHH", data, off)
        if rsize < 8:
            raise RuntimeError(f"{path}: bad record at {off}")
        if typ == 9:
            samples += 1
        elif typ == 2 and rsize >= 24:
            lost += struct.unpack_from("<Q", data, off + 16)[0]
        elif typ == 13 and rsize >= 16:
            lost_samples += struct.unpack_from("<Q", data, off + 8)[0]
        off += rsize
    return samples, max(lost, lost_samples)


class Table:
    def __init__(self):
        self.rows = []

    def add(self, metric, unit, perf_vals, cperf_vals, target):
        pm, cm = statistics.median(perf_vals), statistics.median(cperf_vals)
        ratio = cm / pm if pm else float("nan")
        row = {"metric": metric, "unit": unit,
               "perf_min": min(perf_vals), "perf_median": pm,
               "cperf_min": min(cperf_vals), "cperf_median": cm,
               "ratio": ratio, "target": target, "reps": len(perf_vals)}
        self.rows.append(row)
        print("BENCH " + json.dumps(row), flush=True)

    def markdown(self):
        lines = ["| metric | unit | perf min | perf median | cperf min | cperf median | cperf/perf | target |",
                 "|---|---|---:|---:|---:|---:|---:|---|"]
        for r in self.rows:
            lines.append("| %s | %s | %.4g | %.4g | %.4g | %.4g | %.2f | %s |" % (
                r["metric"], r["unit"], r["perf_min"], r["perf_median"],
                r["cperf_min"], r["cperf_median"], r["ratio"], r["target"]))
        return "\n".join(lines)


def bench_record(a, t, tmp, freq, label, mrounds):
    """System-wide recording while the busy workload runs on every CPU."""
    threads = os.cpu_count() or 2
    alone = [busy_time(a.busy, threads, mrounds) for _ in range(a.reps)]
    res = {"perf": {"wall": [], "cpu": [], "rss": [], "bps": [], "lost": []},
           "cperf": {"wall": [], "cpu": [], "rss": [], "bps": [], "lost": []}}
    for rep in range(a.reps):
        for tool in ("perf", "cperf"):
            out = os.path.join(tmp, f"rec-{tool}.data")
            exe = "perf" if tool == "perf" else a.cperf
            cmd = [exe, "record", "-F", str(freq), "-g", "-a", "-q", "-o", out]
            if tool == "perf":
                cmd.insert(2, "-e")
                cmd.insert(3, "cpu-clock")  # what cperf falls back to here
                # perf 6.1 here aborts in its build-id pass at high rates
                # ("assertion failed at util/build-id.c:1010"); -B skips the
                # pass, which only makes perf's recorder cheaper
                cmd.insert(2, "-B")
            p = start(a, cmd, tool)
            time.sleep(a.settle)
            wall = busy_time(a.busy, threads, mrounds)
            time.sleep(0.2)
            p.send_signal(signal.SIGINT)
            rc, cpu, rss = finish(p)
            # perf re-raises SIGINT once its file is written: that is success
            if rc not in (0, 128 + signal.SIGINT):
                raise RuntimeError(f"{tool} record exited {rc}: {p.stderr_text[-400:]}")
            samples, lost = perf_stats(out)
            res[tool]["wall"].append(wall)
            res[tool]["cpu"].append(cpu)
            res[tool]["rss"].append(rss)
            res[tool]["bps"].append(os.path.getsize(out) / max(samples, 1))
            res[tool]["lost"].append(lost)
    base = statistics.median(alone)
    t.add(f"record {label}: workload slowdown (alone {base:.3f} s)", "x",
          [w / base for w in res["perf"]["wall"]], [w / base for w in res["cperf"]["wall"]], "cperf <= perf")
    t.add(f"record {label}: recorder user+sys", "s", res["perf"]["cpu"], res["cperf"]["cpu"], "cperf <= perf")
    t.add(f"record {label}: recorder peak RSS", "MB", res["perf"]["rss"], res["cperf"]["rss"], "cperf <= perf")
    t.add(f"record {label}: bytes per sample", "B", res["perf"]["bps"], res["cperf"]["bps"], "cperf <= perf")
    t.add(f"record {label}: lost samples", "n", res["perf"]["lost"], res["cperf"]["lost"], "0 where perf loses 0")


def big_recording(a, tmp, callgraph, seconds, freq, name, shape="deep"):
    """One recording made by perf (the same input for both readers), of the
    whole machine while bench/busy runs on every CPU. The deep shape has
    tens of thousands of distinct call chains, as a real program has; the
    flat one a handful."""
    path = os.path.join(tmp, name)
    threads = os.cpu_count() or 2
    cmd = ["perf", "record", "-B", "-e", "cpu-clock", "-F", str(freq), "-a", "-q", "-o", path]
    cmd += ["--call-graph", callgraph] if callgraph != "fp" else ["-g"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(a.settle)
    w = subprocess.Popen([a.busy, str(threads), "100000", shape], stdout=subprocess.DEVNULL)
    time.sleep(seconds)
    w.kill()
    w.wait()
    p.send_signal(signal.SIGINT)
    p.wait()
    return path


def bench_report(a, t, tmp, shape):
    path = big_recording(a, tmp, "fp", a.big_seconds, a.big_freq, f"big-{shape}.data", shape)
    samples, _ = perf_stats(path)
    size = os.path.getsize(path) / 1e6
    pb = os.path.join(tmp, "big.pb.gz")
    runs = {k: [] for k in ("pr", "cr", "ps", "cf", "cc")}
    for _ in range(a.reps):
        runs["pr"].append(timed(a, ["perf", "report", "--stdio", "-i", path]))
        runs["cr"].append(timed(a, [a.cperf, "report", "--top", "-i", path]))
        runs["ps"].append(timed(a, ["perf", "script", "-i", path]))
        runs["cf"].append(timed(a, [a.cperf, "report", "--folded", "-i", path]))
        runs["cc"].append(timed(a, [a.cperf, "convert", "-i", path, "-o", pb]))
    lbl = f"{shape} stacks, {samples} samples, {size:.0f} MB"
    t.add(f"report ({lbl}): perf report --stdio vs cperf report --top", "s",
          [r[0] for r in runs["pr"]], [r[0] for r in runs["cr"]], "cperf <= perf/5")
    t.add(f"report ({shape}): peak RSS", "MB", [r[2] for r in runs["pr"]], [r[2] for r in runs["cr"]],
          "cperf <= perf")
    t.add(f"report ({shape}): perf script vs cperf report --folded", "s",
          [r[0] for r in runs["ps"]], [r[0] for r in runs["cf"]], "cperf <= perf")
    t.add(f"report ({shape}): peak RSS, perf script vs cperf report --folded", "MB",
          [r[2] for r in runs["ps"]], [r[2] for r in runs["cf"]], "(none)")
    t.add(f"convert ({shape}): samples per second (perf column: perf script)", "samples/s",
          [samples / r[0] for r in runs["ps"]], [samples / r[0] for r in runs["cc"]], "higher is better")
    print(f"convert ({shape}): {os.path.getsize(pb) / max(samples / 1000, 1):.1f} bytes of .pb.gz "
          "per 1000 samples", flush=True)
    os.unlink(path)


def bench_dwarf(a, t, tmp):
    path = big_recording(a, tmp, "dwarf", a.dwarf_seconds, 999, "dwarf.data")
    pr, cr, cc = [], [], []
    for _ in range(a.reps):
        pr.append(timed(a, ["perf", "report", "--stdio", "-i", path]))
        cr.append(timed(a, [a.cperf, "report", "--top", "-i", path]))
        cc.append(timed(a, [a.cperf, "convert", "-i", path, "-o", os.path.join(tmp, "dwarf.pb.gz")]))
    samples, _ = perf_stats(path)
    t.add(f"dwarf: perf report vs cperf report --top ({samples} samples)", "s",
          [r[0] for r in pr], [r[0] for r in cr], "cperf <= perf")
    t.add("dwarf: perf report vs cperf convert", "s", [r[0] for r in pr], [r[0] for r in cc], "cperf <= perf")
    t.add("dwarf: peak RSS, perf report vs cperf report --top", "MB",
          [r[2] for r in pr], [r[2] for r in cr], "cperf <= perf")


def bench_stat(a, t, tmp):
    def loop(exe):
        t0 = time.monotonic()
        for _ in range(a.stat_runs):
            subprocess.run([exe, "stat", "-e", "task-clock", "true"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return (time.monotonic() - t0) / a.stat_runs * 1000
    pv, cv = [], []
    for _ in range(a.reps):
        pv.append(loop("perf"))
        cv.append(loop(a.cperf))
    t.add(f"stat -e task-clock true (mean of {a.stat_runs} runs)", "ms", pv, cv, "cperf <= perf")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cperf", required=True)
    ap.add_argument("--busy", required=True)
    ap.add_argument("--measure", required=True, help="bench/measure (CPU and peak RSS of one command)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", default="record,report,dwarf,stat")
    ap.add_argument("--mrounds", type=float, default=5, help="busy workload size (millions of rounds)")
    ap.add_argument("--max-rate-mrounds", type=float, default=1, help="workload size at the highest rate")
    ap.add_argument("--settle", type=float, default=1.5, help="seconds for a recorder to start")
    ap.add_argument("--max-freq", type=int, default=0, help="highest rate (default: perf_event_max_sample_rate)")
    ap.add_argument("--big-seconds", type=float, default=60)
    ap.add_argument("--big-freq", type=int, default=9999)
    ap.add_argument("--dwarf-seconds", type=float, default=10)
    ap.add_argument("--stat-runs", type=int, default=50)
    a = ap.parse_args()
    if a.reps < 5:
        print("note: fewer than 5 repetitions", file=sys.stderr)
    if os.geteuid() != 0:
        sys.exit("bench: run as root (system-wide recording)")
    if not a.max_freq:
        with open("/proc/sys/kernel/perf_event_max_sample_rate") as f:
            a.max_freq = int(f.read())
    t = Table()
    only = set(a.only.split(","))
    with tempfile.TemporaryDirectory(prefix="cperf-bench.") as tmp:
        a.tmp = tmp
        if "record" in only:
            bench_record(a, t, tmp, 999, "-F 999 -g -a", a.mrounds)
            # at the highest rate each second makes ~200k samples with call
            # chains, and counting them (perf report --stats) dominates: 1 s
            bench_record(a, t, tmp, a.max_freq, f"-F {a.max_freq} -g -a", a.max_rate_mrounds)
        if "report" in only:
            bench_report(a, t, tmp, "flat")
            bench_report(a, t, tmp, "deep")
        if "dwarf" in only:
            bench_dwarf(a, t, tmp)
        if "stat" in only:
            bench_stat(a, t, tmp)
    kernel = platform.release()
    print(f"\n{time.strftime('%Y-%m-%d')}, {os.cpu_count()} CPUs, kernel {kernel}, "
          f"{subprocess.run(['perf', '--version'], capture_output=True, text=True).stdout.strip()}, "
          f"{a.reps} repetitions\n")
    print(t.markdown())


if __name__ == "__main__":
    main()
