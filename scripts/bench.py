#!/usr/bin/env python3
"""The benchmark behind scripts/bench: lwpscope dump against gdb and eu-stack.

For each thread count, first with the fixture's hold spinners at normal
priority (SCHED_OTHER: the headline tables and the targets), then, unless
--idle-table 0, again with them under SCHED_IDLE, it starts fixture-bench and
for several rounds runs, in an order that rotates every round:

    lwpscope dump PID --json                  (all-stop)
    lwpscope dump PID --json --mode per-thread
    gdb -batch -nx -p PID <GDB_SETTINGS> -ex 'thread apply all bt'
    eu-stack -p PID
    floor PID                                 (scripts/bench-floor: the least an all-stop can cost)

and records each command's wall time, peak RSS (GNU time's %M), the
stall the fixture's 1 ms ticker saw while it ran, lwpscope's own
stoppedMicroseconds, and whether the fixture was left stopped or traced.
Then the small targets most daemons are (memcached with 18 threads, a
1-thread process): `lwpscope dump PID` in its default text against
`eu-stack -p PID` and `eu-stack -s -i -p PID` (the same work as ours: lines
and inline frames). It writes a Markdown report, and the same run's headline figures into the
README between its bench markers (bench_report.py). Run it through
scripts/bench, which builds the binaries and installs the peers.
"""

from __future__ import annotations

import argparse
import json
import mmap
import os
import re
import select
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench_report import (
    SMALL_TOOLS, TOOLS, InspectorResult, Run, SizeResult, SmallResult, evaluate_targets, fmt_mb, fmt_s, fmt_us,
    readme_figures, report, rewrite_readme,
)

# The function every parked and spinning fixture thread calls through; a
# backtrace that reaches it unwound past glibc and the fixture's own frames.
DEEP_FRAME = "bench_level1"

# gdb's settings before `thread apply all bt`: the same as the agreement
# tests' (Tests/TestSupport/GDBReference.swift, GDBReference.settings; a test
# checks the two lists are equal).
GDB_SETTINGS = [
    "set pagination off",
    "set width 0",
    "set print frame-arguments none",
    "set backtrace past-main on",
]


# `dump` prints every frame's arguments by default, as gdb does: gdb is timed
# doing that work too, with its default (scalars; structs as `...`, less than
# our `{...}` costs us to find), not the agreement tests' `none`.
GDB_BENCH_ARGUMENTS = "set print frame-arguments scalars"


def gdb_command(pid: str) -> list[str]:
    command = ["gdb", "-batch", "-nx", "-iex", "set debuginfod enabled off", "-p", pid]
    for setting in GDB_SETTINGS:
        command += ["-ex", GDB_BENCH_ARGUMENTS if setting.startswith("set print frame-arguments") else setting]
    return command + ["-ex", "thread apply all bt"]


def spinners_for(threads: int, most: int) -> int:
    """1% of the threads spin, at least one and at most `most`: on a small
    machine a few spinners at normal priority already take every core."""
    return max(1, min(most, threads // 100))


# ---- The fixture ------------------------------------------------------------


class StallPage:
    """The fixture's shared stall page (see fixture-bench/main.c)."""

    RESET_REQUEST, RESET_ACK, MAX_STALL_US, TICKS, FIFO, SPINNERS, SPINNER_IDLE = range(7)

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
    """fixture-bench --threads N --spinners S --spinner-policy P, running until close()."""

    def __init__(self, path: str, threads: int, spinners: int, policy: str, timeout: float = 120.0):
        self.stall_path = tempfile.mktemp(prefix="fixture-bench-", suffix=".stall")
        self.process = subprocess.Popen(
            [path, "--threads", str(threads), "--spinners", str(spinners), "--spinner-policy", policy,
             "--stall-file", self.stall_path],
            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        self.pid = self.process.pid
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("ready"):
            self.close()
            raise RuntimeError(f"fixture-bench --threads {threads} did not print ready")
        self.stall = StallPage(self.stall_path)
        self.tasks = len(os.listdir(f"/proc/{self.pid}/task"))
        if self.stall.get(StallPage.SPINNER_IDLE) != (policy == "idle") or self.stall.get(StallPage.SPINNERS) != spinners:
            self.close()
            raise RuntimeError(f"fixture-bench did not start {spinners} spinners at the {policy} policy")

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


def command_for(tool: str, lwpscope: str, pid: int, floor: str = "floor") -> list[str]:
    if tool == "lwpscope":
        return [lwpscope, "dump", str(pid), "--json"]
    if tool == "lwpscope text":
        return [lwpscope, "dump", str(pid)]
    if tool == "eu-stack -s -i":
        return ["eu-stack", "-s", "-i", "-p", str(pid)]
    if tool == "floor":
        return [floor, str(pid)]
    if tool == "lwpscope per-thread":
        return [lwpscope, "dump", str(pid), "--json", "--mode", "per-thread"]
    if tool == "gdb":
        return gdb_command(str(pid))
    if tool == "eu-stack":
        return ["eu-stack", "-p", str(pid)]
    raise ValueError(tool)


def run_tool(tool: str, fixture: Fixture, lwpscope: str, timeout: float, floor: str = "floor") -> Run:
    fd, out_path = tempfile.mkstemp(prefix="bench-out-")
    os.close(fd)
    try:
        fixture.stall.reset()
        wall, rss, code = timed(command_for(tool, lwpscope, fixture.pid, floor), out_path, timeout)
        stall = fixture.stall.read_after()
        problems = fixture.problems()
        if stall is None:
            problems.append("the ticker stopped ticking after the tool exited")
        text = Path(out_path).read_text(errors="replace")
    finally:
        if os.path.exists(out_path):
            os.unlink(out_path)

    run = Run(tool, wall, rss, code, stall, 0, problems=problems)
    if tool == "floor":
        try:
            report = json.loads(text)
            run.stopped_us, run.threads_reported = report["stoppedMicroseconds"], report["threads"]
            run.deep_threads = None  # it unwinds nothing
        except (ValueError, KeyError) as error:
            run.problems.append(f"unreadable floor output: {error}")
    elif tool.startswith("lwpscope"):
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


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# ---- The inspector ------------------------------------------------------------


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
    spinners = spinners_for(n, args.most_spinners)
    fixture = Fixture(args.fixture, n, spinners, "normal")
    print(f"bench: the inspector on {n} threads ({spinners} spinners at normal priority) for {seconds:.0f} s",
          file=sys.stderr)
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
        return InspectorResult(n, spinners, elapsed, used / elapsed * 100, not problems,
                               "; ".join(problems[:3]) or None)
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError) as error:
        return InspectorResult(n, spinners, 0, 0, False, str(error))
    finally:
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)
        fixture.close()


# ---- Main -------------------------------------------------------------------


def measure_size(n: int, policy: str, args) -> SizeResult:
    load_before = loadavg()
    fixture = Fixture(args.fixture, n, spinners_for(n, args.most_spinners), policy)
    try:
        print(f"bench: {n} threads, {fixture.stall.get(StallPage.SPINNERS)} spinners at {policy} priority "
              f"({fixture.tasks} tasks, pid {fixture.pid})", file=sys.stderr)
        if args.warmup:
            for tool in TOOLS:
                run_tool(tool, fixture, args.lwpscope, args.timeout, args.floor)  # warm caches; not recorded
        runs, idle = [], []
        for round_index in range(args.rounds):
            # Idle baseline: what the ticker sees with nothing attached.
            fixture.stall.reset()
            time.sleep(0.3)
            idle.append(fixture.stall.read_after())
            shift = round_index % len(TOOLS)
            for tool in TOOLS[shift:] + TOOLS[:shift]:
                run = run_tool(tool, fixture, args.lwpscope, args.timeout, args.floor)
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
        return SizeResult(n, policy, fixture.tasks, fixture.stall.get(StallPage.SPINNERS),
                          bool(fixture.stall.get(StallPage.FIFO)), runs, [i for i in idle if i is not None],
                          (load_before, loadavg()))
    finally:
        fixture.close()


# ---- Small targets --------------------------------------------------------------


def small_targets(args) -> list[tuple[str, str, list[str]]]:
    """(name, what it is, argv): the daemons people meet every time."""
    targets = [("1 thread", "`sleep 600` (coreutils, stripped; glibc's debug file installed)", ["sleep", "600"])]
    if shutil.which("memcached"):
        targets.append(("memcached, 18 threads", "`memcached -t 12` (Debian's, stripped; 18 threads)",
                        ["memcached", "-u", "nobody", "-t", "12", "-p", "0", "-U", "0", "-l", "127.0.0.1"]))
    return targets


def measure_small(name: str, description: str, argv: list[str], args) -> SmallResult:
    process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)  # its threads started and parked
        if process.poll() is not None:
            raise RuntimeError(f"{argv[0]} exited at once (status {process.returncode})")
        tasks = len(os.listdir(f"/proc/{process.pid}/task"))
        print(f"bench: {name} ({tasks} tasks, pid {process.pid})", file=sys.stderr)
        runs: list[Run] = []
        for round_index in range(args.rounds + (1 if args.warmup else 0)):
            shift = round_index % len(SMALL_TOOLS)
            for tool in SMALL_TOOLS[shift:] + SMALL_TOOLS[:shift]:
                fd, out_path = tempfile.mkstemp(prefix="bench-out-")
                os.close(fd)
                try:
                    wall, rss, code = timed(command_for(tool, args.lwpscope, process.pid), out_path, args.timeout)
                    frames = sum(1 for line in Path(out_path).read_text(errors="replace").splitlines()
                                 if line.startswith("#"))
                finally:
                    os.unlink(out_path)
                if round_index == 0 and args.warmup:
                    continue  # warm caches; not recorded
                run = Run(tool, wall, rss, code, None, frames)
                runs.append(run)
                print(f"  round {round_index} {tool:16} {fmt_s(wall):>10} rss {fmt_mb(rss):>9} frames {frames}"
                      + (f" status {code}" if code else ""), file=sys.stderr)
                time.sleep(args.pause)
        return SmallResult(name, description, tasks, runs)
    finally:
        process.kill()
        process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lwpscope", required=True, help="the lwpscope binary (release build)")
    parser.add_argument("--fixture", required=True, help="the fixture-bench binary")
    parser.add_argument("--floor", required=True, help="the floor program (scripts/bench-floor/floor.c, built)")
    parser.add_argument("--small", type=int, default=1, help="1: also measure the small targets (memcached, 1 thread)")
    parser.add_argument("--threads", default="1,100,1000,4000", help="comma-separated thread counts")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1, help="1: one unrecorded run of each tool per size")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between commands")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before a command is killed")
    parser.add_argument("--output", default="BENCHMARKS.md")
    parser.add_argument("--readme", default="README.md",
                        help="the README whose speed figures (between its bench markers) this run rewrites; '' for none")
    parser.add_argument("--most-spinners", type=int, default=3,
                        help="spinners on `hold`: 1%% of the threads, at least 1 and at most this many")
    parser.add_argument("--idle-table", type=int, default=1,
                        help="1: also measure every size with the spinners under SCHED_IDLE, for a second table")
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
    counts = [int(x) for x in args.threads.split(",") if x.strip()]
    headline: dict[int, SizeResult] = {}
    idle: dict[int, SizeResult] = {}
    small: list[SmallResult] = []
    try:
        for n in counts:
            headline[n] = measure_size(n, "normal", args)
        for n in counts if args.idle_table else []:
            idle[n] = measure_size(n, "idle", args)
        for name, description, argv in small_targets(args) if args.small else []:
            small.append(measure_small(name, description, argv, args))
        inspector = measure_inspector(args)
    except KeyboardInterrupt:
        print("bench: interrupted; no report written", file=sys.stderr)
        return 130
    finally:
        if current_child is not None and current_child.poll() is None:
            kill_group(current_child.pid)

    targets = evaluate_targets(headline, inspector, small)
    gdb = shlex.join(gdb_command("PID"))
    Path(args.output).write_text(report(headline, idle, inspector, targets, args, gdb, time.monotonic() - started,
                                        small))
    print(f"bench: wrote {args.output}", file=sys.stderr)
    if args.readme:
        rewrite_readme(args.readme, readme_figures(headline, inspector, targets))
        print(f"bench: rewrote the speed figures in {args.readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
