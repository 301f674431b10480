#!/usr/bin/env python3
"""The benchmark behind scripts/bench: lwpscope dump against gdb and eu-stack.

For each thread count it starts fixture-bench, then for several rounds runs,
in an order that rotates every round:

    lwpscope dump PID --json                  (all-stop)
    lwpscope dump PID --json --mode per-thread
    gdb -batch -nx -p PID -ex 'set pagination off' -ex 'thread apply all bt'
    eu-stack -p PID

and records each command's wall time, peak RSS (GNU time's %M), the
stall the fixture's 1 ms ticker saw while it ran, lwpscope's own
stoppedMicroseconds, and whether the fixture was left stopped or traced.
It writes a Markdown report. Run it through scripts/bench, which builds the
binaries and installs the peers.
"""

from __future__ import annotations

import argparse
import datetime
import json
import mmap
import os
import platform
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

# Tools, in the order of the first round; later rounds rotate it.
TOOLS = ["lwpscope", "lwpscope per-thread", "gdb", "eu-stack"]

# The function every parked and spinning fixture thread calls through; a
# backtrace that reaches it unwound past glibc and the fixture's own frames.
DEEP_FRAME = "bench_level1"


# ---- The fixture ------------------------------------------------------------


class StallPage:
    """The fixture's shared stall page (see fixture-bench/main.c)."""

    RESET_REQUEST, RESET_ACK, MAX_STALL_US, TICKS, FIFO, SPINNERS = range(6)

    def __init__(self, path: str):
        with open(path, "r+b") as f:
            self.map = mmap.mmap(f.fileno(), 4096)

    def get(self, index: int) -> int:
        return struct.unpack_from("<Q", self.map, index * 8)[0]

    def put(self, index: int, value: int) -> None:
        struct.pack_into("<Q", self.map, index * 8, value)

    def reset(self, timeout: float = 5.0) -> None:
        """Zero the ticker's max stall; returns once the ticker has done it."""
        request = self.get(self.RESET_REQUEST) + 1
        self.put(self.RESET_REQUEST, request)
        deadline = time.monotonic() + timeout
        while self.get(self.RESET_ACK) != request:
            if time.monotonic() > deadline:
                raise RuntimeError("the fixture's ticker did not acknowledge a reset (stopped?)")
            time.sleep(0.0005)

    def read_after(self, ticks: int = 3, timeout: float = 5.0) -> int | None:
        """The max stall (µs) since the reset, once the ticker has ticked
        `ticks` more times, so a stall that just ended is counted. None if
        the ticker does not tick (the process is still stopped)."""
        start = self.get(self.TICKS)
        deadline = time.monotonic() + timeout
        while self.get(self.TICKS) < start + ticks:
            if time.monotonic() > deadline:
                return None
            time.sleep(0.0005)
        return self.get(self.MAX_STALL_US)


class Fixture:
    """fixture-bench --threads N, running until close()."""

    def __init__(self, path: str, threads: int, timeout: float = 60.0):
        self.stall_path = tempfile.mktemp(prefix="fixture-bench-", suffix=".stall")
        self.process = subprocess.Popen(
            [path, "--threads", str(threads), "--stall-file", self.stall_path],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self.pid = self.process.pid
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("ready"):
            self.close()
            raise RuntimeError(f"fixture-bench --threads {threads} did not print ready")
        self.stall = StallPage(self.stall_path)
        self.tasks = len(os.listdir(f"/proc/{self.pid}/task"))

    def problems(self) -> list[str]:
        """Threads left stopped or traced, as 'TID: State, TracerPid'."""
        found = []
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            try:
                status = Path(f"/proc/{self.pid}/task/{tid}/status").read_text()
            except OSError:
                continue  # the thread exited
            state = re.search(r"^State:\s+(\S)", status, re.M).group(1)
            tracer = int(re.search(r"^TracerPid:\s+(\d+)", status, re.M).group(1))
            if state in "tT" or tracer != 0:
                found.append(f"{tid}: State {state}, TracerPid {tracer}")
        return found

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        if os.path.exists(self.stall_path):
            os.unlink(self.stall_path)


# ---- Running one command ----------------------------------------------------


@dataclass
class Run:
    tool: str
    wall: float                  # seconds
    rss_kb: int                  # peak RSS of the tool, KiB
    returncode: int
    stall_us: int | None         # the ticker's max lateness during the run
    deep_threads: int            # threads whose backtrace reached DEEP_FRAME
    stopped_us: int | None = None  # lwpscope's stoppedMicroseconds
    threads_reported: int | None = None
    thread_errors: int | None = None
    problems: list[str] = field(default_factory=list)


current_child: subprocess.Popen | None = None


# A process's peak RSS (ru_maxrss) carries over the address space it replaced
# at exec: a tool started straight from this script would report this
# script's own peak (which grows with the outputs it parses) whenever that is
# larger. GNU time forks the tool from its own small process and reports the
# tool's peak alone.
GNU_TIME = "/usr/bin/time"


def timed(argv: list[str], out_path: str, timeout: float) -> tuple[float, int, int]:
    """Run argv with stdout to out_path: (wall seconds, peak RSS KiB, status)."""
    fd, rss_path = tempfile.mkstemp(prefix="bench-rss-")
    os.close(fd)
    wrapped = [GNU_TIME, "-f", "%M", "-o", rss_path, *argv] if os.access(GNU_TIME, os.X_OK) else argv
    try:
        wall, rss, code = timed_directly(wrapped, out_path, timeout)
        if wrapped is not argv:
            text = Path(rss_path).read_text().strip().splitlines()
            rss = int(text[-1]) if text and text[-1].isdigit() else rss
        return wall, rss, code
    finally:
        os.unlink(rss_path)


def kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def timed_directly(argv: list[str], out_path: str, timeout: float) -> tuple[float, int, int]:
    global current_child
    with open(out_path, "wb") as out:
        start = time.perf_counter()
        # Its own process group, so a timeout kills the tool and not only GNU
        # time; not its own session, which would also give it its own
        # scheduler autogroup and change how it shares the CPUs with the target.
        current_child = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, process_group=0)
        timer = threading.Timer(timeout, kill_group, (current_child.pid,))
        timer.daemon = True
        timer.start()
        # wait4, not Popen.wait: it also returns the child's rusage.
        _, status, usage = os.wait4(current_child.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        current_child.returncode = os.waitstatus_to_exitcode(status)
        code = current_child.returncode
        current_child = None
    return wall, usage.ru_maxrss, code


def command_for(tool: str, lwpscope: str, pid: int) -> list[str]:
    if tool == "lwpscope":
        return [lwpscope, "dump", str(pid), "--json"]
    if tool == "lwpscope per-thread":
        return [lwpscope, "dump", str(pid), "--json", "--mode", "per-thread"]
    if tool == "gdb":
        return ["gdb", "-batch", "-nx", "-p", str(pid), "-ex", "set pagination off", "-ex", "thread apply all bt"]
    if tool == "eu-stack":
        return ["eu-stack", "-p", str(pid)]
    raise ValueError(tool)


def run_tool(tool: str, fixture: Fixture, lwpscope: str, timeout: float) -> Run:
    fd, out_path = tempfile.mkstemp(prefix="bench-out-")
    os.close(fd)
    try:
        fixture.stall.reset()
        wall, rss, code = timed(command_for(tool, lwpscope, fixture.pid), out_path, timeout)
        stall = fixture.stall.read_after()
        problems = fixture.problems()
        if stall is None:
            problems.append("the ticker stopped ticking after the tool exited")
        text = Path(out_path).read_text(errors="replace")
    finally:
        if os.path.exists(out_path):
            os.unlink(out_path)

    run = Run(tool, wall, rss, code, stall, 0, problems=problems)
    if tool.startswith("lwpscope"):
        try:
            report = json.loads(text)
            run.stopped_us = report["stoppedMicroseconds"]
            run.threads_reported = len(report["threads"])
            run.thread_errors = sum(1 for t in report["threads"] if t.get("error"))
            run.deep_threads = sum(
                1 for t in report["threads"] if any(f.get("function") == DEEP_FRAME for f in t["frames"]))
        except (ValueError, KeyError) as error:
            run.problems.append(f"unreadable JSON: {error}")
    else:
        # One line per frame in both peers' output; count threads, not frames.
        run.deep_threads = deep_threads_in_text(text, tool)
    return run


def deep_threads_in_text(text: str, tool: str) -> int:
    """How many threads in gdb's or eu-stack's output reach DEEP_FRAME."""
    header = re.compile(r"^Thread \d+ " if tool == "gdb" else r"^TID \d+:")
    count, seen_in_thread = 0, False
    for line in text.splitlines():
        if header.match(line):
            seen_in_thread = False
        elif DEEP_FRAME in line and not seen_in_thread:
            count, seen_in_thread = count + 1, True
    return count


# ---- Summaries and the report -------------------------------------------------


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt_s(seconds):
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_us(us):
    if us is None:
        return "–"
    return f"{us} µs" if us < 1000 else f"{us / 1000:.1f} ms"


def fmt_ratio(x):
    return "–" if x is None else f"{x:.1f}x"


def fmt_mb(kb):
    return "–" if kb is None else f"{kb / 1024:.1f} MB"


def command_output(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unavailable"


def machine() -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    mem_kb = int(re.search(r"^MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text(), re.M).group(1))
    return [
        ("CPU", model.group(1) if model else platform.processor()),
        ("Cores", f"{len(os.sched_getaffinity(0))} usable ({os.cpu_count()} online)"),
        ("Memory", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("Kernel", f"{platform.system()} {platform.release()} {platform.machine()}"),
        ("OS", command_output(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"])),
        ("Swift", command_output(["swift", "--version"]).splitlines()[0] if command_output(["swift", "--version"]) else "unavailable"),
        ("gdb", command_output(["gdb", "--version"]).splitlines()[0]),
        ("eu-stack", command_output(["eu-stack", "--version"]).splitlines()[0]),
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
    ]


@dataclass
class SizeResult:
    threads: int
    tasks: int
    spinners: int
    ticker_fifo: bool
    runs: list[Run]
    idle_stalls: list[int]
    load: tuple[str, str]  # /proc/loadavg before and after

    def of(self, tool: str) -> list[Run]:
        return [r for r in self.runs if r.tool == tool]

    def median_wall(self, tool: str):
        return median([r.wall for r in self.of(tool)])

    def ratio(self, peer: str):
        ours, theirs = self.median_wall("lwpscope"), self.median_wall(peer)
        return theirs / ours if ours and theirs else None

    def max_of(self, tool: str, attr: str):
        values = [getattr(r, attr) for r in self.of(tool) if getattr(r, attr) is not None]
        return max(values) if values else None

    def median_of(self, tool: str, attr: str):
        return median([getattr(r, attr) for r in self.of(tool)])


def size_table(size: SizeResult) -> list[str]:
    lines = [
        f"### {size.threads} thread{'s' if size.threads != 1 else ''}",
        "",
        f"{size.tasks} tasks: {size.threads} parked ({size.spinners} spinning on `hold`), main, ticker "
        f"(ticker {'SCHED_FIFO' if size.ticker_fifo else 'SCHED_OTHER'}). "
        f"Ticker stall with no tool attached: median {fmt_us(median(size.idle_stalls))}, "
        f"max {fmt_us(max(size.idle_stalls) if size.idle_stalls else None)}. "
        f"Load average before / after: {size.load[0]} / {size.load[1]} "
        f"(the {size.spinners} spinner(s) add about {min(size.spinners, len(os.sched_getaffinity(0)))}).",
        "",
        "| tool | median wall | ratio to lwpscope | ticker stall median / max | stoppedMicroseconds median / max "
        "| peak RSS | threads reaching `bench_level1` | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for tool in TOOLS:
        runs = size.of(tool)
        if not runs:
            continue
        ratio = "1.0x" if tool == "lwpscope" else (
            fmt_ratio(size.ratio(tool)) if tool in ("gdb", "eu-stack") else "–")
        stopped = "–"
        if tool.startswith("lwpscope"):
            stopped = f"{fmt_us(size.median_of(tool, 'stopped_us'))} / {fmt_us(size.max_of(tool, 'stopped_us'))}"
        deep = sorted({r.deep_threads for r in runs})
        failures = sum(1 for r in runs if r.returncode != 0 or r.problems)
        lines.append(
            f"| {tool} | {fmt_s(size.median_wall(tool))} | {ratio} "
            f"| {fmt_us(size.median_of(tool, 'stall_us'))} / {fmt_us(size.max_of(tool, 'stall_us'))} "
            f"| {stopped} | {fmt_mb(size.max_of(tool, 'rss_kb'))} "
            f"| {'–'.join(map(str, deep)) if len(deep) <= 2 else f'{deep[0]}…{deep[-1]}'} of {size.threads} "
            f"| {failures} of {len(runs)} |")
    lines.append("")
    for tool in ("lwpscope", "lwpscope per-thread"):
        reported = sorted({r.threads_reported for r in size.of(tool) if r.threads_reported is not None})
        errors = size.max_of(tool, "thread_errors")
        if reported:
            lines.append(f"`{tool}` reported {'/'.join(map(str, reported))} threads of {size.tasks} tasks; "
                         f"at most {errors or 0} with an unwinding error.  ")
    lines.append("")
    return lines


def targets(sizes: dict[int, SizeResult]) -> list[str]:
    def mark(ok):
        return "**met**" if ok else "**not met**"

    lines = []
    for n in (1000, 4000):
        if n not in sizes:
            lines.append(f"- dump at {n} threads vs gdb / eu-stack: not measured in this run")
            continue
        gdb, eu = sizes[n].ratio("gdb"), sizes[n].ratio("eu-stack")
        lines.append(f"- dump at {n} threads ≥10x faster than gdb: {fmt_ratio(gdb)} — {mark(gdb is not None and gdb >= 10)}")
        lines.append(f"- dump at {n} threads ≥5x faster than eu-stack: {fmt_ratio(eu)} — {mark(eu is not None and eu >= 5)}")
    if 1000 in sizes:
        s = sizes[1000]
        stopped, ticker = s.max_of("lwpscope", "stopped_us"), s.max_of("lwpscope", "stall_us")
        worst = max(v for v in (stopped, ticker, 0) if v is not None)
        lines.append(
            f"- all-stop stall ≤30 ms at 1,000 threads: worst run stoppedMicroseconds {fmt_us(stopped)}, "
            f"ticker {fmt_us(ticker)} — {mark(stopped is not None and worst <= 30000)}")
    else:
        lines.append("- all-stop stall ≤30 ms at 1,000 threads: not measured in this run")
    per_thread = [(n, s.max_of("lwpscope per-thread", "stopped_us")) for n, s in sizes.items()]
    per_thread = [(n, v) for n, v in per_thread if v is not None]
    if per_thread:
        worst_n, worst = max(per_thread, key=lambda p: p[1])
        ticker = max((s.max_of("lwpscope per-thread", "stall_us") or 0) for s in sizes.values())
        lines.append(
            f"- per-thread mode stops no thread >1 ms: longest stoppedMicroseconds {fmt_us(worst)} "
            f"(at {worst_n} threads; the ticker saw at most {fmt_us(ticker)}) — {mark(worst <= 1000)}")
    if 4000 in sizes:
        rss = max(v for v in (sizes[4000].max_of("lwpscope", "rss_kb"),
                              sizes[4000].max_of("lwpscope per-thread", "rss_kb"), 0) if v is not None)
        lines.append(f"- peak RSS ≤64 MB at 4,000 threads: {fmt_mb(rss)} — {mark(rss <= 64 * 1024)}")
    else:
        lines.append("- peak RSS ≤64 MB at 4,000 threads: not measured in this run")
    return lines


def report(sizes: dict[int, SizeResult], inspector: InspectorResult | None, args, elapsed: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        "`lwpscope dump` against `gdb` and `eu-stack` on `fixture-bench` "
        "(`Tests/Fixtures/fixture-bench`, `-O2 -g -fomit-frame-pointer`): parked threads that block in glibc "
        "(nanosleep, pthread_cond_wait, read on a pipe) under three noinline calls, 1% of them (at least one) "
        "spinning on `volatile int hold` at SCHED_IDLE, and a ticker thread that wakes every 1 ms and records "
        "its largest lateness: the stall the target saw.",
        "",
        f"Generated by `{args.command}` in {elapsed / 60:.1f} min: {args.rounds} round(s) per size, the tools "
        "in an order rotated every round. All numbers are from that one run.",
        "",
        "## Machine",
        "",
    ]
    cores = len(os.sched_getaffinity(0))
    busiest = max(float(load.split()[0]) for s in sizes.values() for load in s.load) if sizes else 0.0
    if busiest > cores:
        lines += [
            f"**The machine was busy**: the 1-minute load average reached {busiest:.0f} on {cores} cores "
            "(other work, plus the fixture's own threads while stopped and resumed). Wall times and stalls "
            "include that contention, and vary from round to round; compare medians, and rerun on a quiet "
            "machine before reading much into a single number.",
            "",
        ]
    lines += [
        "| | |",
        "|---|---|",
    ]
    lines += [f"| {k} | {v} |" for k, v in machine()]
    lines += [
        "",
        "## Commands",
        "",
        "- `lwpscope dump PID --json` (release build, `--static-swift-stdlib`; all-stop) and `lwpscope dump PID --json --mode per-thread`",
        "- `gdb -batch -nx -p PID -ex 'set pagination off' -ex 'thread apply all bt'`",
        "- `eu-stack -p PID`",
        "",
        "Output goes to a file (read afterwards to count threads that reach `bench_level1`), "
        "`DEBUGINFOD_URLS` is unset. Wall time is from spawn to exit; peak RSS is the tool's "
        "own, from GNU time (`%M`: the tool runs as its child, so the benchmark script's own memory does not count); the ticker stall is the fixture's largest 1 ms-tick lateness between a reset "
        "just before the command and three ticks after it exits; `stoppedMicroseconds` is lwpscope's own "
        "measure (all-stop: how long the process was stopped; per-thread: the longest any one thread was). "
        "Ratios are median over median.",
        "",
        "## Results",
        "",
    ]
    for n in sorted(sizes):
        lines += size_table(sizes[n])
    problems = [(n, r) for n, s in sizes.items() for r in s.runs if r.problems or r.returncode != 0]
    if problems:
        lines += ["### Failures", ""]
        for n, r in problems:
            lines.append(f"- {n} threads, {r.tool}: exit status {r.returncode}; {'; '.join(r.problems[:5]) or 'no problems with the fixture'}")
        lines.append("")
    else:
        lines += ["After every command the fixture was running, with no thread stopped or traced "
                  "(`/proc/PID/task/*/status`), and its ticker ticking.", ""]
    if inspector:
        lines += [
            "### The full-screen inspector",
            "",
            f"`lwpscope PID` (the same build) attached to `fixture-bench --threads {inspector.threads}` in a "
            "detached 160x48 tmux, refreshing every second (an all-stop snapshot with the top 4 KiB of each "
            "stack, the innermost frames of every thread, wait channels, hold flags): its CPU time over "
            f"{inspector.seconds:.0f} s after a 5 s warm-up was **{inspector.cpu_percent:.1f}% of one core**. "
            + ("After `q` the fixture was running, untraced." if inspector.left_clean
               else f"Problem: {inspector.problem}."),
            "",
        ]
    lines += ["## Targets", ""] + targets(sizes) + inspector_target(inspector) + [""]
    return "\n".join(lines)


def inspector_target(inspector: InspectorResult | None) -> list[str]:
    if inspector is None:
        return ["- the inspector under 10% of a core at 1,000 threads: not measured in this run"]
    ok = inspector.left_clean and inspector.cpu_percent < 10 and inspector.threads >= 1000
    return [f"- the inspector under 10% of a core at {inspector.threads} threads: "
            f"{inspector.cpu_percent:.1f}% — {'**met**' if ok else '**not met**'}"]


# ---- The inspector ------------------------------------------------------------


@dataclass
class InspectorResult:
    threads: int
    seconds: float
    cpu_percent: float           # of one core, while refreshing every second
    left_clean: bool             # the fixture untraced and running after q
    problem: str | None = None


def task_cpu_seconds(pid: int) -> float:
    """utime + stime of a whole process, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_inspector(args) -> InspectorResult | None:
    """The full-screen inspector attached to an N-thread fixture in a detached
    tmux, refreshing every second: its CPU time over `seconds`, after a
    warm-up. Then `q`, and the fixture must be left as it was."""
    n, seconds = args.inspector_threads, args.inspector_seconds
    if seconds <= 0 or not shutil.which("tmux"):
        return None
    socket = f"lwpscope-bench-{os.getpid()}"
    tmux = ["tmux", "-L", socket, "-f", "/dev/null"]
    fixture = Fixture(args.fixture, n)
    print(f"bench: the inspector on {n} threads for {seconds:.0f} s", file=sys.stderr)
    try:
        subprocess.run(tmux + ["new-session", "-d", "-x", "160", "-y", "48",
                               "env", "TERM=xterm-256color", args.lwpscope, str(fixture.pid)], check=True)
        pane = subprocess.run(tmux + ["list-panes", "-F", "#{pane_pid}"], capture_output=True, text=True, check=True)
        inspector = int(pane.stdout.split()[0])
        time.sleep(5)  # attach, first snapshots, modules read
        before, start = task_cpu_seconds(inspector), time.monotonic()
        time.sleep(seconds)
        used, elapsed = task_cpu_seconds(inspector) - before, time.monotonic() - start
        subprocess.run(tmux + ["send-keys", "q"], check=True)
        deadline = time.monotonic() + 10
        while os.path.exists(f"/proc/{inspector}") and time.monotonic() < deadline:
            time.sleep(0.1)
        problems = fixture.problems()
        return InspectorResult(n, elapsed, used / elapsed * 100, not problems, "; ".join(problems[:3]) or None)
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError) as error:
        return InspectorResult(n, 0, 0, False, str(error))
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)
        fixture.close()


# ---- Main -------------------------------------------------------------------


def measure_size(n: int, args) -> SizeResult:
    load_before = loadavg()
    fixture = Fixture(args.fixture, n)
    try:
        print(f"bench: {n} threads ({fixture.tasks} tasks, pid {fixture.pid})", file=sys.stderr)
        if args.warmup:
            for tool in TOOLS:
                run_tool(tool, fixture, args.lwpscope, args.timeout)  # warm caches; not recorded
        runs, idle = [], []
        for round_index in range(args.rounds):
            # Idle baseline: what the ticker sees with nothing attached.
            fixture.stall.reset()
            time.sleep(0.3)
            idle.append(fixture.stall.read_after())
            shift = round_index % len(TOOLS)
            for tool in TOOLS[shift:] + TOOLS[:shift]:
                run = run_tool(tool, fixture, args.lwpscope, args.timeout)
                runs.append(run)
                extra = f" stopped {fmt_us(run.stopped_us)}" if run.stopped_us is not None else ""
                print(f"  round {round_index + 1} {tool:20} {fmt_s(run.wall):>10} rss {fmt_mb(run.rss_kb):>9} "
                      f"stall {fmt_us(run.stall_us):>9}{extra} deep {run.deep_threads}"
                      + (f" status {run.returncode}" if run.returncode else "")
                      + (f" PROBLEMS {run.problems[:3]}" if run.problems else ""), file=sys.stderr)
                if run.problems:
                    # Do not measure the next tool against a wedged fixture.
                    raise RuntimeError(f"fixture left in a bad state after {tool}: {run.problems[:3]}")
                time.sleep(args.pause)
        return SizeResult(n, fixture.tasks, fixture.stall.get(StallPage.SPINNERS),
                          bool(fixture.stall.get(StallPage.FIFO)), runs, [i for i in idle if i is not None],
                          (load_before, loadavg()))
    finally:
        fixture.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lwpscope", required=True, help="the lwpscope binary (release build)")
    parser.add_argument("--fixture", required=True, help="the fixture-bench binary")
    parser.add_argument("--threads", default="1,100,1000,4000", help="comma-separated thread counts")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="1: one unrecorded run of each tool per size")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between commands")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is killed")
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--command", default="scripts/bench", help="the command line, for the report")
    parser.add_argument("--inspector-threads", type=int, default=1000)
    parser.add_argument("--inspector-seconds", type=float, default=20,
                        help="how long to measure the full-screen inspector's CPU (0: not at all)")
    args = parser.parse_args()

    # SIGTERM/SIGHUP unwind like Ctrl-C, so the finally blocks kill the fixture.
    def interrupted(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    os.environ.pop("DEBUGINFOD_URLS", None)  # no network lookups by gdb or eu-stack

    started = time.monotonic()
    sizes: dict[int, SizeResult] = {}
    try:
        for n in [int(x) for x in args.threads.split(",") if x.strip()]:
            sizes[n] = measure_size(n, args)
        inspector = measure_inspector(args)
    except KeyboardInterrupt:
        print("bench: interrupted; no report written", file=sys.stderr)
        return 130
    finally:
        if current_child is not None and current_child.poll() is None:
            kill_group(current_child.pid)

    Path(args.output).write_text(report(sizes, inspector, args, time.monotonic() - started))
    print(f"bench: wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
