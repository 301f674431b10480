#!/usr/bin/env python3
"""Fault injection for lwpscope: kills it while attached, pulls the target
away under it, feeds it odd processes and binaries, and checks after every
try that the target is left as it was (not traced, no thread in tracing
stop, still stopped if it was stopped before).

Run through scripts/faults, which builds first. See `scripts/faults --help`.
Writes docs/RELIABILITY.md (full runs) with one row per case.
"""
import argparse
import datetime
import json
import os
import platform
import random
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "debug")
LWPSCOPE = os.path.join(BIN, "lwpscope")
NOFP = os.path.join(BIN, "fixture-threads-nofp")
CHURN = os.path.join(BIN, "fixture-churn")
CLIENT = os.path.join(BIN, "fixture-client")
POINTS = os.path.join(BIN, "fixture-points")
SPAWNER = os.path.join(BIN, "fixture-spawner")

# Every process this script starts, so every exit path can end them.
STARTED = []
TMUX_SOCKETS = []
TMP = None


def log(msg):
    print(f"faults: {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- processes

def track(p):
    STARTED.append(p)
    return p


def tmux_socket_path(sock):
    return os.path.join(os.environ.get("TMUX_TMPDIR", "/tmp"), f"tmux-{os.getuid()}", sock)


def cleanup():
    for sock in TMUX_SOCKETS:
        subprocess.run(["tmux", "-L", sock, "kill-server"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        try:
            os.unlink(tmux_socket_path(sock))  # tmux leaves the socket file behind
        except OSError:
            pass
    for p in reversed(STARTED):
        if p.poll() is None:
            try:
                p.send_signal(signal.SIGKILL)  # works on stopped processes too
            except ProcessLookupError:
                pass
    for p in STARTED:
        try:
            p.wait(timeout=5)
        except Exception:
            pass
    if TMP and os.path.isdir(TMP):
        shutil.rmtree(TMP, ignore_errors=True)


def on_signal(signum, _frame):
    log(f"interrupted by signal {signum}; cleaning up")
    cleanup()
    os._exit(128 + signum)


def start(argv, wait_ready=True, ready_timeout=30.0, **kw):
    """Starts a target (a child of this script, so fixtures stay alive) and
    waits for its "ready" line."""
    p = track(subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, **kw))
    if wait_ready:
        deadline = time.monotonic() + ready_timeout
        buf = b""
        while b"ready" not in buf:
            left = deadline - time.monotonic()
            if left <= 0 or p.poll() is not None:
                raise RuntimeError(f"{argv[0]} did not print ready")
            r, _, _ = select.select([p.stdout], [], [], left)
            if r:
                chunk = os.read(p.stdout.fileno(), 4096)
                if not chunk:
                    raise RuntimeError(f"{argv[0]} closed stdout before ready")
                buf += chunk
    # Keep draining stdout so the target never blocks on a full pipe.
    threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
    return p


def stop_proc(p):
    if p.poll() is None:
        p.send_signal(signal.SIGKILL)
    try:
        p.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def lw(args, timeout=20, **kw):
    """Runs lwpscope under timeout; returns (rc, stdout, stderr)."""
    cmd = ["timeout", "-k", "2", str(timeout), LWPSCOPE] + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL, **kw)
    return r.returncode, r.stdout, r.stderr


def lw_background(args, timeout=60):
    out = tempfile.NamedTemporaryFile(dir=TMP, delete=False, prefix="out.")
    err = tempfile.NamedTemporaryFile(dir=TMP, delete=False, prefix="err.")
    # exec so the timeout wrapper's child is lwpscope itself; we signal lwpscope.
    p = track(subprocess.Popen(["timeout", "-k", "2", str(timeout), LWPSCOPE] + [str(a) for a in args],
                               stdout=out, stderr=err, stdin=subprocess.DEVNULL))
    p.out_path, p.err_path = out.name, err.name
    out.close()
    err.close()
    return p


def child_pid(parent, name="lwpscope", timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            kids = open(f"/proc/{parent}/task/{parent}/children").read().split()
        except OSError:
            return None
        for k in kids:
            try:
                if open(f"/proc/{k}/comm").read().strip() == name:
                    return int(k)
            except OSError:
                pass
        time.sleep(0.01)
    return None


def wait_for_file(path, pattern, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if re.search(pattern, open(path, errors="replace").read()):
                return True
        except OSError:
            pass
        time.sleep(0.01)
    return False


def pid_gone(pid):
    try:
        state = task_state(pid, pid)
        return state is None or state == "Z"
    except OSError:
        return True


def wait_gone(pid, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pid_gone(pid):
            return True
        time.sleep(0.01)
    return False


def first_line(text):
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def error_lines(text):
    return [l.strip() for l in text.splitlines() if l.strip()]


# ------------------------------------------------------------ target checks

def task_state(pid, tid):
    try:
        status = open(f"/proc/{pid}/task/{tid}/status").read()
    except OSError:
        return None
    m = re.search(r"^State:\s+(\S)", status, re.M)
    return m.group(1) if m else None


def target_problems(pid, expect_stopped=False):
    """What is wrong with the target now: [] when nothing is."""
    problems = []
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []  # gone: nothing can be left stopped or traced
    for tid in tids:
        try:
            status = open(f"/proc/{pid}/task/{tid}/status").read()
        except OSError:
            continue
        tracer = re.search(r"^TracerPid:\s+(\d+)", status, re.M)
        state = re.search(r"^State:\s+(\S)", status, re.M)
        if tracer and tracer.group(1) != "0":
            problems.append(f"tid {tid} TracerPid {tracer.group(1)}")
        if state:
            s = state.group(1)
            if s == "t":
                problems.append(f"tid {tid} in tracing stop (t)")
            elif expect_stopped and s not in ("T", "Z", "X"):
                problems.append(f"tid {tid} state {s}, expected T (was SIGSTOPped)")
    return problems


def check_target(pid, expect_stopped=False, within=1.0):
    """None if the target is clean within `within` seconds, else the problems."""
    deadline = time.monotonic() + within
    while True:
        problems = target_problems(pid, expect_stopped)
        if not problems:
            return None
        if time.monotonic() >= deadline:
            return "; ".join(problems[:4]) + (f" (+{len(problems) - 4} more)" if len(problems) > 4 else "")
        time.sleep(0.02)


def wait_all_stopped(pid, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = [task_state(pid, t) for t in os.listdir(f"/proc/{pid}/task")]
        if states and all(s == "T" for s in states):
            return True
        time.sleep(0.01)
    return False


# ------------------------------------------------------------- C helpers

HELPERS = {
    # Threads that park; after ARG1 ms either exit(0) ("exit"), or exec
    # /bin/sleep 5 from the main thread ("exec") or from a secondary thread
    # ("exec-thread"), or the main thread leaves with pthread_exit
    # ("zombie-leader", then runs forever).
    "lifecycle": r"""
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
static int delay_ms; static const char *mode;
static void do_exec(void) { char *argv[] = {"sleep", "5", NULL}; execv("/bin/sleep", argv); _exit(127); }
static void *parker(void *arg) {
    if (arg) { usleep(delay_ms * 1000); do_exec(); }
    for (;;) pause();
}
int main(int argc, char **argv) {
    mode = argc > 1 ? argv[1] : "exit"; delay_ms = argc > 2 ? atoi(argv[2]) : 200;
    pthread_t t;
    for (int i = 0; i < 4; i++) pthread_create(&t, NULL, parker, NULL);
    if (strcmp(mode, "exec-thread") == 0) pthread_create(&t, NULL, parker, (void *)1);
    printf("ready\n"); fflush(stdout);
    if (strcmp(mode, "zombie-leader") == 0) pthread_exit(NULL);
    usleep(delay_ms * 1000);
    if (strcmp(mode, "exec") == 0) do_exec();
    if (strcmp(mode, "exec-thread") == 0) for (;;) pause();
    exit(0);
}
""",
    # Copies ARG1 into a memfd and fexecve's it with the remaining arguments.
    "memfd-launcher": r"""
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
extern char **environ;
int main(int argc, char **argv) {
    int in = open(argv[1], O_RDONLY), fd = memfd_create("fixture-memfd", MFD_CLOEXEC);
    char buf[65536]; ssize_t n;
    while ((n = read(in, buf, sizeof buf)) > 0) if (write(fd, buf, n) != n) return 1;
    fexecve(fd, argv + 1, environ); perror("fexecve"); return 1;
}
""",
    # dlopens ARG1 (a copy of libz) and parks a thread inside deflateInit's
    # allocator callback, so its stack runs through libz's code and CFI.
    "libz-parker": r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
typedef int (*init_fn)(z_streamp, int, const char *, int);
static init_fn deflate_init; static volatile int parked;
static voidpf park_alloc(voidpf opaque, uInt items, uInt size) {
    (void)opaque; (void)items; (void)size; parked = 1; for (;;) pause(); return NULL;
}
static void park_free(voidpf opaque, voidpf address) { (void)opaque; (void)address; }
static void *body(void *arg) {
    (void)arg; z_stream s; memset(&s, 0, sizeof s);
    s.zalloc = park_alloc; s.zfree = park_free;
    deflate_init(&s, 6, ZLIB_VERSION, (int)sizeof s); return NULL;
}
int main(int argc, char **argv) {
    void *h = dlopen(argv[1], RTLD_NOW);
    if (!h) { fprintf(stderr, "%s\n", dlerror()); return 1; }
    deflate_init = (init_fn)dlsym(h, "deflateInit_");
    pthread_t t; pthread_create(&t, NULL, body, NULL);
    while (!parked) usleep(1000);
    printf("ready\n"); fflush(stdout);
    for (;;) pause();
}
""",
}


def build_helpers():
    built = {}
    for name, source in HELPERS.items():
        src = os.path.join(TMP, name + ".c")
        exe = os.path.join(TMP, name)
        open(src, "w").write(source)
        r = subprocess.run(["gcc", "-O1", "-g", "-o", exe, src, "-lpthread", "-ldl"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"cannot build helper {name}: {r.stderr.strip()}")
        built[name] = exe
    return built


# ----------------------------------------------------------------- cases

class Case:
    def __init__(self, name, fn, tries, kind="clean"):
        self.name, self.fn, self.tries, self.kind = name, fn, tries, kind


class Outcome:
    """What one try observed: ok, with a note (a message seen), or a failure."""

    def __init__(self, failure=None, note=None):
        self.failure, self.note = failure, note


def ok(note=None):
    return Outcome(note=note)


def fail(msg):
    return Outcome(failure=msg)


def describe_rc(rc):
    if rc == 124:
        return "hung (killed by timeout)"
    if rc == 137:
        return "hung (SIGKILLed by timeout -k)"
    if rc > 128:
        return f"died of signal {rc - 128}"
    if rc < 0:
        return f"died of signal {-rc}"
    return f"exit {rc}"


def clear_error(rc, err, must=None):
    """An expected failure: non-zero exit, no crash or hang, exactly one line."""
    if rc == 0:
        return fail("exit 0, expected an error")
    if rc >= 124 or rc < 0:
        return fail(f"{describe_rc(rc)}; stderr: {first_line(err)!r}")
    lines = error_lines(err)
    if len(lines) != 1:
        return fail(f"{len(lines)} stderr lines: {lines[:3]!r}")
    if must and not re.search(must, lines[0]):
        return fail(f"message {lines[0]!r} lacks /{must}/")
    return ok(lines[0])


def kill_watch(sig):
    def run(ctx):
        p = ctx.target()
        lwp = lw_background(["threads", p.pid, "--watch", "--interval", "0.05"])
        if not wait_for_file(lwp.out_path, r"threads, stopped", 10):
            return fail("no snapshot printed within 10 s")
        time.sleep(random.uniform(0, 0.15))
        child = child_pid(lwp.pid) or lwp.pid
        ctx.count(attached=attached_by(p.pid, child))
        os.kill(child, sig)
        try:
            lwp.wait(timeout=5)
        except subprocess.TimeoutExpired:
            stop_proc(lwp)
            return fail(f"lwpscope still running 5 s after {signal.Signals(sig).name}")
        bad = check_target(p.pid)
        if bad:
            return fail(bad)
        if sig != signal.SIGKILL and lwp.returncode in (124, 137):
            return fail(f"did not exit on {signal.Signals(sig).name}")
        return ok()
    return run


class TmuxTUI:
    """lwpscope's inspector in a private tmux server; `pid` may be several, space-separated."""

    def __init__(self, pid):
        self.sock = f"lwpscope-faults-{os.getpid()}-{random.randrange(1 << 30)}"
        TMUX_SOCKETS.append(self.sock)
        cmd = f"exec timeout --foreground -k 2 60 {shlex.quote(LWPSCOPE)} {pid}"
        env = dict(os.environ, TERM="xterm-256color")
        env.pop("TMUX", None)
        subprocess.run(["tmux", "-L", self.sock, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", cmd],
                       check=True, env=env)
        out = subprocess.run(["tmux", "-L", self.sock, "list-panes", "-F", "#{pane_pid}"],
                             capture_output=True, text=True).stdout.split()
        self.pane_pid = int(out[0]) if out else None

    def screen(self):
        return subprocess.run(["tmux", "-L", self.sock, "capture-pane", "-p"], capture_output=True,
                              text=True, errors="replace").stdout

    def wait_for(self, pattern, timeout=15.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.screen()):
                return True
            time.sleep(0.05)
        return False

    def kill_server(self):
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            os.unlink(tmux_socket_path(self.sock))
        except OSError:
            pass


def kill_tui(sig):
    """sig None: close the terminal (kill the tmux server)."""
    def run(ctx):
        p = ctx.target()
        tui = TmuxTUI(p.pid)
        try:
            lwp = child_pid(tui.pane_pid) if tui.pane_pid else None
            if not lwp:
                return fail("could not find lwpscope in the tmux pane")
            if not tui.wait_for(r"spinner-1"):
                return fail("the inspector never showed the threads; screen: " + first_line(tui.screen()))
            time.sleep(random.uniform(0, 0.2))
            ctx.count(attached=attached_by(p.pid, lwp))
            if sig is None:
                tui.kill_server()
            else:
                os.kill(lwp, sig)
            if not wait_gone(lwp, 5):
                os.kill(lwp, signal.SIGKILL)
                return fail("lwpscope still running 5 s later")
            bad = check_target(p.pid)
            return fail(bad) if bad else ok()
        finally:
            tui.kill_server()
    return run


def kill_session_of_two(how):
    """The inspector with two processes in its session (`lwpscope CLIENT DAEMON`,
    the wait fixture pair), left by `how`: a signal, "q", or None (terminal closed)."""
    def run(ctx):
        client, daemon = ctx.pair()
        tui = TmuxTUI(f"{client} {daemon}")
        try:
            lwp = child_pid(tui.pane_pid) if tui.pane_pid else None
            if not lwp:
                return fail("could not find lwpscope in the tmux pane")
            if not tui.wait_for(r"lock-a|fixture-client"):
                return fail("the inspector never showed the client; screen: " + first_line(tui.screen()))
            deadline = time.monotonic() + 10
            while not (attached_by(client, lwp) and attached_by(daemon, lwp)) and time.monotonic() < deadline:
                time.sleep(0.02)
            if not (attached_by(client, lwp) and attached_by(daemon, lwp)):
                return fail("lwpscope did not attach both processes within 10 s")
            time.sleep(random.uniform(0, 0.2))
            ctx.count(attached=True)
            if how is None:
                tui.kill_server()
            elif how == "q":
                subprocess.run(["tmux", "-L", tui.sock, "send-keys", "q"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            else:
                os.kill(lwp, how)
            if not wait_gone(lwp, 5):
                os.kill(lwp, signal.SIGKILL)
                return fail("lwpscope still running 5 s later")
            bad = [f"{name}: {b}" for name, pid in (("client", client), ("daemon", daemon))
                   for b in [check_target(pid)] if b]
            return fail("; ".join(bad)) if bad else ok()
        finally:
            tui.kill_server()
    return run


class PointsTarget:
    """fixture-points, its call lines counted as they come (`call TID COUNT NAME`)."""

    def __init__(self, args):
        self.p = track(subprocess.Popen([POINTS] + args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        stdin=subprocess.DEVNULL))
        self.pid = self.p.pid
        self.calls = {}
        while True:  # its threads may print calls before it says ready
            line = self.p.stdout.readline()
            if not line:
                raise RuntimeError("fixture-points did not print ready")
            if line.startswith(b"ready"):
                break
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            words = line.split()
            if len(words) >= 4 and words[0] == b"call":
                self.calls[int(words[1])] = int(words[2])

    def alive(self):
        return self.p.poll() is None

    def dying(self):
        """Killed and still writing its core: every thread has stopped, but
        the process is not reaped yet (seconds on a loaded machine)."""
        try:
            with open(f"/proc/{self.pid}/status") as f:
                return any(l.startswith("CoreDumping:") and l.split()[1] == "1" for l in f)
        except OSError:
            return False

    def settle(self, timeout=10):
        """Waits while the program dies of a signal that dumps core."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.alive() and self.dying():
            time.sleep(0.05)
        if self.alive():
            return
        self.p.wait()

    def death(self):
        rc = self.p.poll()
        return f"killed by {signal.Signals(-rc).name}" if rc is not None and rc < 0 else f"exited {rc}"

    def address_of(self, function):
        out = subprocess.run(["nm", POINTS], capture_output=True, text=True).stdout
        value = next(int(l.split()[0], 16) for l in out.splitlines() if l.endswith(" " + function))
        for line in open(f"/proc/{self.pid}/maps"):
            fields = line.split()
            if len(fields) >= 6 and fields[5] == os.path.realpath(POINTS) and int(fields[2], 16) == 0:
                return int(fields[0].split("-")[0], 16) + value
        raise RuntimeError("fixture-points maps no offset-0 segment")

    def code_is_the_files(self, address, count):
        """The process's bytes at `address` are the file's (code, or the unused tail of the code page)."""
        for line in open(f"/proc/{self.pid}/maps"):
            fields = line.split()
            lo, hi = (int(x, 16) for x in fields[0].split("-"))
            if lo <= address < hi and len(fields) >= 6 and fields[5].startswith("/"):
                with open(fields[5], "rb") as f:
                    f.seek(int(fields[2], 16) + address - lo)
                    want = f.read(count)
                with open(f"/proc/{self.pid}/mem", "rb") as m:
                    m.seek(address)
                    return m.read(count) == want
        return False

    def stop(self):
        stop_proc(self.p)


def kill_hold_at(running_through):
    """`lwpscope hold PID --at point_target` SIGKILLed: with the four callers
    parked, or (running_through) with a glob that parks no one, so every call
    of every thread goes through the trap byte and its copy while we die."""
    def run(ctx):
        target = PointsTarget(["--others", "0"] if not running_through else [])
        try:
            args = ["hold", target.pid, "--at", "point_target", "--json"]
            if running_through:
                args += ["--thread", "nobody-is-called-this"]
            lwp = track(subprocess.Popen([LWPSCOPE] + [str(a) for a in args], stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
            wanted = 1 if running_through else 4
            event = b'"event":"point"' if running_through else b'"event":"parked"'
            out, deadline = b"", time.monotonic() + 10
            while out.count(event) < wanted and time.monotonic() < deadline:
                r, _, _ = select.select([lwp.stdout], [], [], 0.2)
                if r:
                    chunk = os.read(lwp.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    out += chunk
            seen = out.count(event)
            if seen < wanted:
                stop_proc(lwp)
                return fail("the points were not set (or the threads not parked) within 10 s")
            time.sleep(random.uniform(0, 0.1))
            address = target.address_of("point_target")
            lwp.send_signal(signal.SIGKILL)
            lwp.wait(timeout=5)
            return points_survived(ctx, target, address, running_through)
        finally:
            target.stop()
    return run


def points_survived(ctx, target, address, running_through=False):
    """After lwpscope has gone with point_target set: the program lives, its
    code is the file's again within 3 s, it is untraced and every thread calls on."""
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline and target.alive() and not target.code_is_the_files(address, 16):
        time.sleep(0.01)
    # A thread that ran a trap byte untraced takes the process down
    # through a core dump, which can take a moment to show.
    time.sleep(0.5)
    target.settle()
    if not target.alive():
        ctx.count(died=True)
        if running_through:
            return ok("the program died (a thread ran a trap byte before the guardian wrote it back)")
        return fail(f"the program {target.death()}")
    if not target.code_is_the_files(address, 16):
        return fail("point_target's code was not restored within 3 s")
    bad = check_target(target.pid, within=2.0)
    if bad:
        return fail(bad)
    before = dict(target.calls)
    time.sleep(0.3)
    stuck = [tid for tid, n in before.items() if target.calls.get(tid, 0) <= n]
    # Stuck threads are either a core dump under way (a trap taken just
    # before the write) or real harm: wait to see which.
    deadline = time.monotonic() + 5
    while stuck and target.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
        stuck = [tid for tid, n in before.items() if target.calls.get(tid, 0) <= n]
    target.settle()
    if stuck and not target.alive() and running_through:
        # Its core dump began after the first look: the same window.
        ctx.count(died=True)
        return ok("the program died (a thread ran a trap byte before the guardian wrote it back)")
    if stuck:
        return fail(f"threads {stuck} stopped calling ({target.death() if not target.alive() else 'alive'})")
    ctx.count(died=False)
    return ok()


def kill_tui_with_points(how):
    """The inspector on fixture-points with `b point_target` set and the four
    callers parked, left by `how`: a signal, "q", or None (terminal closed)."""
    def run(ctx):
        target = PointsTarget(["--others", "0"])
        tui = TmuxTUI(target.pid)
        try:
            lwp = child_pid(tui.pane_pid) if tui.pane_pid else None
            if not lwp:
                return fail("could not find lwpscope in the tmux pane")
            if not tui.wait_for(r"caller-4"):
                return fail("the inspector never showed the callers; screen: " + first_line(tui.screen()))
            keys = lambda *k: subprocess.run(["tmux", "-L", tui.sock, "send-keys"] + list(k),
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            keys("b")
            keys("-l", "point_target")
            keys("Enter")
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and tui.screen().count("@point_target") < 4:
                time.sleep(0.05)
            if tui.screen().count("@point_target") < 4:
                return fail("the four callers were not shown parked within 15 s; screen: " + first_line(tui.screen()))
            time.sleep(random.uniform(0, 0.1))
            address = target.address_of("point_target")
            if how is None:
                tui.kill_server()
            elif how == "q":
                keys("q")
            else:
                os.kill(lwp, how)
            if not wait_gone(lwp, 5):
                os.kill(lwp, signal.SIGKILL)
                return fail("lwpscope still running 5 s later")
            return points_survived(ctx, target, address)
        finally:
            tui.kill_server()
            target.stop()
    return run


def read_until(p, wanted, timeout=10.0, out=b""):
    """Reads p's stdout until `wanted` (bytes) appears; returns all read, or None."""
    deadline = time.monotonic() + timeout
    while wanted not in out and time.monotonic() < deadline:
        r, _, _ = select.select([p.stdout], [], [], 0.2)
        if r:
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out += chunk
    return out if wanted in out else None


def kill_run_held_child(sig, at):
    """`lwpscope run --events` with a forked child held at its birth
    (`--births`) or at the exec of a matching program (`--execs`), left by
    `sig`: the daemon and the child run on, untraced, and the child's new
    program starts."""
    rule = ["--births"] if at == "birth" else ["--execs", "fixture-spawn*"]

    def run(ctx):
        lwp = track(subprocess.Popen([LWPSCOPE, "run", "--events", "--json"] + rule + ["--",
                                      SPAWNER, "--exec", SPAWNER, "--target"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
        daemon = None
        try:
            out = read_until(lwp, b"ready ")
            if out is None:
                return fail("the daemon never said ready")
            out = read_until(lwp, b"\n", out=out.split(b"ready ", 1)[1])
            daemon = int(out.split(b"\n")[0])
            os.kill(daemon, signal.SIGUSR1)

            def held_child(text):
                for line in text.split(b"\n"):
                    if line.startswith(b"{") and line.endswith(b"}"):
                        o = json.loads(line)
                        if o.get("event") == "held" and o.get("at") == at and o.get("pid") != daemon:
                            return o["pid"]
                return None
            deadline = time.monotonic() + 10
            while held_child(out) is None and time.monotonic() < deadline:
                r, _, _ = select.select([lwp.stdout], [], [], 0.2)
                chunk = os.read(lwp.stdout.fileno(), 65536) if r else b""
                if r and not chunk:
                    break
                out += chunk
            child = held_child(out)
            if child is None:
                return fail(f"no child was held at its {at} within 10 s")
            time.sleep(random.uniform(0, 0.1))
            lwp.send_signal(sig)
            lwp.wait(timeout=5)
            bad = [f"{name}: {b}" for name, pid in (("daemon", daemon), ("child", child))
                   for b in [check_target(pid, within=2.0)] if b]
            if bad:
                return fail("; ".join(bad))
            deadline = time.monotonic() + 3
            while time.monotonic() < deadline and b"main ran %d" % child not in out:
                r, _, _ = select.select([lwp.stdout], [], [], 0.1)
                if r:
                    chunk = os.read(lwp.stdout.fileno(), 65536)
                    if not chunk:
                        break
                    out += chunk
            return ok() if b"main ran %d" % child in out else fail("the child's new program never started")
        finally:
            if daemon:
                try:
                    os.kill(daemon, signal.SIGTERM)
                except OSError:
                    pass
            stop_proc(lwp)
    return run


def kill_run_held_signal(ctx):
    """`lwpscope run --events` with a thread held at SIGSEGV, SIGKILLed: the
    process dies of it as it would have, within 3 s, and nothing is left traced."""
    lwp = track(subprocess.Popen([LWPSCOPE, "run", "--events", "--json", "--", SPAWNER],
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL))
    try:
        out = read_until(lwp, b"ready ")
        if out is None:
            return fail("the program never said ready")
        daemon = int(read_until(lwp, b"\n", out=out.split(b"ready ", 1)[1]).split(b"\n")[0])
        os.kill(daemon, signal.SIGUSR2)
        if read_until(lwp, b'"event":"signal"') is None:
            return fail("the SIGSEGV was not held within 10 s")
        lwp.send_signal(signal.SIGKILL)
        lwp.wait(timeout=5)
        if not wait_gone(daemon, 3):
            bad = check_target(daemon)
            try:
                os.kill(daemon, signal.SIGKILL)
            except OSError:
                pass
            return fail("the program did not die of its signal within 3 s" + (f"; {bad}" if bad else ""))
        return ok("the program died of its SIGSEGV, as it would have")
    finally:
        stop_proc(lwp)


def tracer_of(pid, tid=None):
    try:
        status = open(f"/proc/{pid}/task/{tid or pid}/status").read()
    except OSError:
        return None
    m = re.search(r"^TracerPid:\s+(\d+)", status, re.M)
    return int(m.group(1)) if m else None


def attached_by(pid, lwp):
    tracer = tracer_of(pid)
    return bool(tracer) and os.path.exists(f"/proc/{lwp}/task/{tracer}")


def kill_dump(fixture_key, max_delay):
    """SIGKILLs `dump` once it has attached (the target's main thread shows a
    tracer), after a random 0..max_delay s, so it dies with threads stopped."""
    def run(ctx):
        p = ctx.fixture(fixture_key)
        lwp = lw_background(["dump", p.pid])
        child = child_pid(lwp.pid, timeout=2)
        attached = False
        deadline = time.monotonic() + 10
        while child and lwp.poll() is None and time.monotonic() < deadline:
            tracer = tracer_of(p.pid)  # the tracing thread's tid: lwpscope's engine thread
            if tracer and os.path.exists(f"/proc/{child}/task/{tracer}"):
                attached = True
                break
            time.sleep(0.0005)
        if attached:
            time.sleep(random.uniform(0, max_delay))
            try:
                os.kill(child, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            lwp.wait(timeout=10)
        except subprocess.TimeoutExpired:
            stop_proc(lwp)
            return fail("lwpscope still running 10 s later")
        bad = check_target(p.pid)
        if bad:
            return fail(bad)
        ctx.count(killed=attached and lwp.returncode in (137, -9))
        return ok()
    return run


def target_killed_during_watch(how):
    def run(ctx):
        if how == "kill":
            p = start([NOFP])
        else:
            p = start([ctx.helpers["lifecycle"], "exit", "400"])
        lwp = lw_background(["threads", p.pid, "--watch", "--interval", "0.05"], timeout=10)
        if not wait_for_file(lwp.out_path, r"threads, stopped", 10):
            stop_proc(p)
            return fail("no snapshot printed")
        if how == "kill":
            time.sleep(random.uniform(0, 0.1))
            p.kill()
        p.wait()
        lwp.wait()
        err = open(lwp.err_path, errors="replace").read()
        if lwp.returncode == 0:
            return fail("exit 0 after the target died")
        return clear_error(lwp.returncode, err)
    return run


def exec_during(command):
    def run(ctx):
        mode = "exec" if command != "watch-thread" else "exec-thread"
        p = start([ctx.helpers["lifecycle"], mode, "200"])
        notes, failures = set(), []
        if command.startswith("watch"):
            lwp = lw_background(["threads", p.pid, "--watch", "--interval", "0.02"], timeout=12)
            wait_for_file(lwp.out_path, r"threads, stopped", 5)
            time.sleep(1.0)
            # Either it followed the exec or it left with one clear line.
            if lwp.poll() is None:
                lwp.send_signal(signal.SIGINT)
                try:
                    lwp.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    stop_proc(lwp)
                    failures.append("--watch did not exit on SIGINT after the exec")
                out = open(lwp.out_path, errors="replace").read()
                if "(sleep 5)" in out:
                    notes.add("`--watch` followed the exec (later snapshots show `sleep 5`)")
                else:
                    notes.add("`--watch` kept running but never showed `sleep 5`")
            else:
                err = open(lwp.err_path, errors="replace").read()
                o = clear_error(lwp.returncode, err)
                if o.failure:
                    failures.append(o.failure)
                else:
                    notes.add("clear error: " + o.note)
        else:
            deadline = time.monotonic() + 0.6
            runs = saw_sleep = 0
            while time.monotonic() < deadline:
                rc, out, err = lw(["dump", p.pid], timeout=10)
                runs += 1
                if rc == 0:
                    saw_sleep |= "(sleep 5)" in out or "(/bin/sleep" in out or "sleep" in first_line(out)
                    continue
                o = clear_error(rc, err)
                if o.failure:
                    failures.append(o.failure)
                else:
                    notes.add(o.note)
            ctx.count(runs=runs, after_exec=bool(saw_sleep))
        bad = check_target(p.pid)
        if bad:
            failures.append(bad)
        stop_proc(p)
        if failures:
            return fail("; ".join(failures))
        return ok("; ".join(sorted(notes)) if notes else None)
    return run


def churn_dumps(count):
    def run(ctx):
        p = ctx.fixture("churn")
        for i in range(count):
            rc, out, err = lw(["dump", p.pid], timeout=20)
            if rc != 0:
                return fail(f"run {i + 1}/{count}: {describe_rc(rc)}: {first_line(err)!r}")
        bad = check_target(p.pid)
        return fail(bad) if bad else ok()
    return run


def prestopped(ctx):
    p = ctx.fixture("nofp")
    os.kill(p.pid, signal.SIGSTOP)
    try:
        if not wait_all_stopped(p.pid):
            return fail("fixture did not stop")
        for args in (["threads", p.pid], ["dump", p.pid], ["hold", p.pid], ["threads", p.pid, "--json"]):
            rc, out, err = lw(args)
            if rc != 0:
                return fail(f"{args[0]}: {describe_rc(rc)}: {first_line(err)!r}")
            bad = check_target(p.pid, expect_stopped=True)
            if bad:
                return fail(f"after {args[0]}: {bad}")
        return ok()
    finally:
        os.kill(p.pid, signal.SIGCONT)


def gdb_traced(ctx):
    p = start([NOFP])
    gdb = track(subprocess.Popen(["gdb", "-nx", "-batch", "-p", str(p.pid), "-ex", "shell sleep 4"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            m = re.search(r"^TracerPid:\s+(\d+)", open(f"/proc/{p.pid}/status").read(), re.M)
            if m and m.group(1) == str(gdb.pid):
                break
            time.sleep(0.05)
        else:
            return fail("gdb did not attach within 20 s")
        notes = []
        for cmd in ("threads", "dump", "hold"):
            rc, out, err = lw([cmd, p.pid])
            o = clear_error(rc, err, must=rf"\b{gdb.pid}\b.*gdb|gdb.*\b{gdb.pid}\b")
            if o.failure:
                return fail(f"{cmd}: {o.failure}")
            notes.append(re.sub(r"\b\d+\b", "N", o.note))
        return ok(notes[0])
    finally:
        try:
            gdb.wait(timeout=30)
        except subprocess.TimeoutExpired:
            gdb.kill()
        stop_proc(p)


def expect_error(args_fn, must=None):
    def run(ctx):
        args = args_fn(ctx)
        if isinstance(args, Outcome):
            return args
        rc, out, err = lw(args)
        return clear_error(rc, err, must)
    return run


def zombie_args(ctx):
    z = track(subprocess.Popen(["true"]))
    deadline = time.monotonic() + 5
    while task_state(z.pid, z.pid) != "Z" and time.monotonic() < deadline:
        time.sleep(0.01)
    ctx.later.append(z)
    return ["dump", z.pid]


def own_pid(ctx):
    r = subprocess.run(["timeout", "-k", "2", "20", "sh", "-c", f'exec {shlex.quote(LWPSCOPE)} threads $$'],
                       capture_output=True, text=True, errors="replace")
    return clear_error(r.returncode, r.stderr)


def zombie_leader(ctx):
    p = start([ctx.helpers["lifecycle"], "zombie-leader", "0"])
    try:
        deadline = time.monotonic() + 5
        while task_state(p.pid, p.pid) != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        notes = []
        for args in (["threads", p.pid], ["dump", p.pid]):
            rc, out, err = lw(args)
            if rc == 0:
                notes.append(f"{args[0]}: ok")
            else:
                o = clear_error(rc, err)
                if o.failure:
                    return fail(f"{args[0]}: {o.failure}")
                notes.append(f"{args[0]}: {o.note}")
        bad = check_target(p.pid)
        if bad:
            return fail(bad)
        return ok("; ".join(re.sub(r"\b\d+\b", "N", n) for n in notes))
    finally:
        stop_proc(p)


def exits_after_listing(ctx):
    s = track(subprocess.Popen(["sleep", f"{random.uniform(0.01, 0.08):.3f}"]))
    threading.Thread(target=s.wait, daemon=True).start()  # reaped at once: the pid really goes
    rc, out, err = lw(["ps"])
    if rc != 0:
        return fail(f"ps: {describe_rc(rc)}")
    time.sleep(random.uniform(0, 0.08))
    rc, out, err = lw(["dump", s.pid])
    if rc == 0:
        return ok("dumped before it exited")
    o = clear_error(rc, err)
    if o.failure:
        return o
    return ok(re.sub(r"\b\d+\b", "N", o.note))


def deleted_binary(ctx):
    copy = os.path.join(TMP, f"fixture-deleted-{random.randrange(1 << 20)}")
    shutil.copy(NOFP, copy)
    p = start([copy])
    os.unlink(copy)
    try:
        rc, out, err = lw(["dump", p.pid])
        if rc != 0:
            return fail(f"{describe_rc(rc)}: {first_line(err)!r}")
        if "spin_on_hold" not in out:
            return fail("spin_on_hold not named; first frames: " + " | ".join(out.splitlines()[2:5]))
        bad = check_target(p.pid)
        return fail(bad) if bad else ok()
    finally:
        stop_proc(p)


def stripped_binary(ctx):
    copy = os.path.join(TMP, "fixture-stripped")
    if not os.path.exists(copy):
        subprocess.run(["strip", "--strip-all", "-o", copy, NOFP], check=True)
    p = start([copy])
    try:
        rc, out, err = lw(["dump", p.pid])
        if rc != 0:
            return fail(f"{describe_rc(rc)}: {first_line(err)!r}")
        if not re.search(r"fixture-stripped\+0x[0-9a-f]+", out):
            return fail("no fixture-stripped+0x frame; frames: " + " | ".join(out.splitlines()[2:6]))
        bad = check_target(p.pid)
        return fail(bad) if bad else ok()
    finally:
        stop_proc(p)


def memfd_binary(ctx):
    p = start([ctx.helpers["memfd-launcher"], NOFP])
    try:
        exe = os.readlink(f"/proc/{p.pid}/exe")
        rc, out, err = lw(["dump", p.pid])
        if rc != 0:
            return fail(f"{describe_rc(rc)}: {first_line(err)!r}")
        named = "spin_on_hold" in out
        bad = check_target(p.pid)
        if bad:
            return fail(bad)
        return ok(f"exe {exe}; spin_on_hold {'named' if named else 'not named'}")
    finally:
        stop_proc(p)


def thirty_two_bit(ctx):
    """A 32-bit program with no libc (none is installed for -m32 here): its own
    _start says ready through int 0x80, then spins."""
    src = os.path.join(TMP, "t32.c")
    exe = os.path.join(TMP, "t32")
    open(src, "w").write(
        'void _start(void) {\n'
        '    static const char ready[] = "ready\\n";\n'
        '    int rc;\n'
        '    __asm__ volatile("int $0x80" : "=a"(rc) : "a"(4), "b"(1), "c"(ready), "d"(6) : "memory");\n'
        '    for (;;);\n'
        '}\n')
    r = subprocess.run(["gcc", "-m32", "-nostdlib", "-static", "-O1", "-o", exe, src], capture_output=True, text=True)
    if r.returncode != 0:
        return Outcome(note="SKIP")
    p = start([exe])
    try:
        rc, out, err = lw(["dump", p.pid])
        if rc >= 124 or rc < 0:
            return fail(describe_rc(rc))
        bad = check_target(p.pid)
        if bad:
            return fail(bad)
        lines = err.strip().splitlines()
        if rc != 1 or out.strip() or len(lines) != 1 or "32-bit" not in lines[0]:
            return fail(f"wanted one line and exit 1, got exit {rc}: " + first_line(out + err))
        return ok("exit 1, one line: " + lines[0].replace(str(p.pid), "N"))
    finally:
        stop_proc(p)


def corrupt_library(ctx):
    """A copy of libz, dlopened by the target with a thread parked inside it;
    its section headers and CFI are then overwritten on disk with random bytes
    (the code pages are left alone so the target keeps running)."""
    libz = "/usr/lib/x86_64-linux-gnu/libz.so.1"
    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    copy = os.path.join(TMP, f"libz-corrupt-{seed}.so")
    shutil.copy(libz, copy)
    p = start([ctx.helpers["libz-parker"], copy])
    try:
        rc, before, err = lw(["dump", p.pid])
        if rc != 0:
            return fail(f"before corruption: {describe_rc(rc)}")
        secs = elf_sections(copy)
        with open(copy, "r+b") as f:
            data = f.read()
            shoff = int.from_bytes(data[0x28:0x30], "little")
            targets = [(shoff, len(data) - shoff)]
            for name in (".eh_frame_hdr", ".eh_frame", ".dynsym", ".dynstr", ".gnu_debuglink", ".note.gnu.build-id"):
                if name in secs:
                    targets.append(secs[name])
            for off, size in targets:
                # Flip a random share of the bytes in each region.
                for _ in range(max(1, size // rng.choice((4, 16, 64)))):
                    f.seek(off + rng.randrange(size))
                    f.write(bytes([rng.randrange(256)]))
        rc, out, err = lw(["dump", p.pid])
        if rc >= 124 or rc < 0:
            keep = os.path.join(ROOT, f".build/faults-corrupt-libz-{seed}.so")
            shutil.copy(copy, keep)
            return fail(f"seed {seed}: {describe_rc(rc)}: {first_line(err)!r}; file kept at {keep}")
        bad = check_target(p.pid)
        if bad:
            return fail(bad)
        if rc != 0:
            return ok("clear error: " + first_line(err))
        return ok("exit 0" + (", frame inside libz named" if re.search(r"deflateInit2?_", out) else ""))
    finally:
        stop_proc(p)


def elf_sections(path):
    import struct
    data = open(path, "rb").read()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3a)
    raw = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    stroff = raw[shstrndx][4]
    out = {}
    for (name, _t, _f, _addr, off, size, *_r) in raw:
        end = data.index(b"\0", stroff + name)
        if size:
            out[data[stroff + name:end].decode()] = (off, size)
    return out


# ---------------------------------------------------------------- driver

class Context:
    def __init__(self, helpers):
        self.helpers = helpers
        self.fixtures = {}
        self.later = []
        self.tally = {}

    def fixture(self, key):
        p = self.fixtures.get(key)
        if p is None or p.poll() is not None:
            argv = {"nofp": [NOFP], "churn": [CHURN],
                    "workers": [NOFP, "--workers", "2000"]}[key]
            p = self.fixtures[key] = start(argv, ready_timeout=60)
        return p

    def count(self, **values):
        """Per-case tallies reported next to the result (see `extra`)."""
        for k, v in values.items():
            self.tally[k] = self.tally.get(k, 0) + int(v)
        self.tally["tries"] = self.tally.get("tries", 0) + 1

    def target(self):
        return self.fixture("nofp")

    def pair(self):
        """The wait fixture pair (fixture-client starts fixture-daemon): (client, daemon)."""
        p = self.fixtures.get("pair")
        if p is None or p.poll() is not None or pid_gone(self.pair_pids[1]):
            if p is not None:
                stop_proc(p)
            directory = tempfile.mkdtemp(dir=TMP, prefix="pair.")
            p = track(subprocess.Popen([CLIENT, "--dir", directory], stdout=subprocess.PIPE,
                                       stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))
            deadline, buf = time.monotonic() + 60, b""
            while not (b"ready " in buf and b"\n" in buf.split(b"ready ", 1)[1]):
                left = deadline - time.monotonic()
                if left <= 0 or p.poll() is not None:
                    raise RuntimeError("fixture-client did not print ready")
                r, _, _ = select.select([p.stdout], [], [], left)
                if r:
                    buf += os.read(p.stdout.fileno(), 4096) or b""
            line = buf.split(b"ready ", 1)[1].split(b"\n", 1)[0].decode()
            fields = dict(w.split("=", 1) for w in line.split() if "=" in w)
            threading.Thread(target=lambda: p.stdout.read(), daemon=True).start()
            self.fixtures["pair"] = p
            self.pair_pids = (int(fields["client"]), int(fields["daemon"]))
        return self.pair_pids

    def close(self):
        for p in list(self.fixtures.values()) + self.later:
            stop_proc(p)
        self.fixtures.clear()
        self.later.clear()


def cases(n, quick):
    small = max(1, min(n, 3))
    sig = signal
    c = []
    for s in (sig.SIGKILL, sig.SIGTERM, sig.SIGINT, sig.SIGHUP):
        c.append(Case(f"`threads PID --watch --interval 0.05` killed by {s.name} while attached", kill_watch(s), n))
    for s in (sig.SIGKILL, sig.SIGTERM, sig.SIGINT, sig.SIGHUP):
        c.append(Case(f"inspector (`lwpscope PID` in tmux) killed by {s.name}", kill_tui(s), n))
    c.append(Case("inspector: terminal closed (tmux server killed)", kill_tui(None), n))
    for how, name in ((sig.SIGKILL, "killed by SIGKILL"), (sig.SIGTERM, "killed by SIGTERM"),
                      (sig.SIGHUP, "killed by SIGHUP"), ("q", "quit with `q`"), (None, "terminal closed")):
        c.append(Case(f"inspector with two processes (`lwpscope CLIENT DAEMON`, the wait fixtures) {name}",
                      kill_session_of_two(how), n))
    c.append(Case("`hold PID --at point_target` SIGKILLed with all four callers parked (fixture-points)",
                  kill_hold_at(False), n))
    c.append(Case("`hold PID --at point_target` SIGKILLed while every thread runs through the point (a glob parks none)",
                  kill_hold_at(True), n, "note"))
    for how, name in ((sig.SIGKILL, "killed by SIGKILL"), (sig.SIGTERM, "killed by SIGTERM"),
                      ("q", "quit with `q`"), (None, "terminal closed")):
        c.append(Case(f"inspector with `b point_target` and all four callers parked {name}",
                      kill_tui_with_points(how), n))
    c.append(Case("`run --events --births` with a forked child held at its birth, killed by SIGKILL",
                  kill_run_held_child(sig.SIGKILL, "birth"), n))
    for s in (sig.SIGKILL, sig.SIGTERM, sig.SIGINT):
        c.append(Case(f"`run --events --execs` with a child held at its exec, killed by {s.name}",
                      kill_run_held_child(s, "exec"), n))
    c.append(Case("`run --events` with a thread held at SIGSEGV, lwpscope SIGKILLed", kill_run_held_signal, n, "note"))
    c.append(Case("`dump` SIGKILLed 0-250 ms after attaching, fixture with 2000 workers (stop lasts ~250 ms)",
                  kill_dump("workers", 0.25), n))
    c.append(Case("`dump` SIGKILLed 0-5 ms after attaching, `fixture-churn`", kill_dump("churn", 0.005), n))
    c.append(Case("target SIGKILLed during `threads --watch`", target_killed_during_watch("kill"), n, "error"))
    c.append(Case("target exits (exit(0)) during `threads --watch`", target_killed_during_watch("exit"), small, "error"))
    c.append(Case("target execs `/bin/sleep 5` (main thread) during repeated `dump`", exec_during("dump"), small, "note"))
    c.append(Case("target execs `/bin/sleep 5` (main thread) during `threads --watch`", exec_during("watch"), small, "note"))
    c.append(Case("target execs `/bin/sleep 5` from a secondary thread during `threads --watch`",
                  exec_during("watch-thread"), small, "note"))
    churn_runs = 20 if quick else 100
    c.append(Case(f"thread churn: {churn_runs} `dump` runs in a row against `fixture-churn`, all exit 0",
                  churn_dumps(churn_runs), 1))
    c.append(Case("pre-stopped target (SIGSTOP): `threads`, `dump`, `hold`, `threads --json`", prestopped, n))
    c.append(Case("target already traced by gdb: `threads`, `dump`, `hold`", gdb_traced, 1 if quick else 2, "error"))
    c.append(Case("kernel thread: `dump 2`", expect_error(lambda ctx: ["dump", 2], r"kernel thread"), small, "error"))
    c.append(Case("zombie (exited, not reaped): `dump`", expect_error(zombie_args), small, "error"))
    c.append(Case("zombie thread-group leader (main called pthread_exit, threads live): `threads`, `dump`",
                  zombie_leader, small, "note"))
    c.append(Case("our own pid: `sh -c 'exec lwpscope threads $$'`", own_pid, small, "error"))
    c.append(Case("gone pid: `dump 999999`", expect_error(lambda ctx: ["dump", 999999], r"999999"), small, "error"))
    c.append(Case("pid that exits right after `ps` lists it, then `dump`", exits_after_listing, n, "note"))
    c.append(Case("deleted binary: `dump` still names `spin_on_hold`", deleted_binary, small))
    c.append(Case("stripped binary (`strip --strip-all`): `dump` shows `module+0x` frames, exit 0", stripped_binary, small))
    c.append(Case("memfd executable (`memfd_create` + `fexecve`): `dump`", memfd_binary, small, "note"))
    c.append(Case("32-bit process: `dump`", thirty_two_bit, 1, "note"))
    c.append(Case("corrupt shared library on disk (libz copy with random bytes in section headers, "
                  ".eh_frame(_hdr), .dynsym/.dynstr; a thread parked inside it): `dump`",
                  corrupt_library, n, "note"))
    return c


def normalize(note):
    """Pids vary between tries: `pid 1234` -> `pid N` (fixed ones stay)."""
    return re.sub(r"\b(pid|tid) (?!2\b|999999\b)\d+", r"\1 N", note)


def summarize(case, outcomes):
    failures = [o.failure for o in outcomes if o.failure]
    notes = sorted({normalize(o.note) for o in outcomes if o.note and not o.failure})
    if any(o.note == "SKIP" for o in outcomes):
        return "not tested: no 32-bit toolchain (`gcc -m32` cannot link)", True
    if failures:
        first = failures[0].replace("|", "\\|")
        return f"**FAILED** {len(failures)}/{len(outcomes)}: {first}", False
    if case.kind == "error":
        return "clear error: " + " / ".join(f"`{n}`" for n in notes), True
    base = "nothing left stopped or traced"
    if case.name.startswith("pre-stopped"):
        base = "still stopped (T), nothing traced, all exit 0"
    if notes:
        return base + "; " + "; ".join(n.replace("|", "\\|") for n in notes), True
    return base, True


def main():
    global TMP
    ap = argparse.ArgumentParser(prog="scripts/faults", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="few tries per case (CI); does not write the doc unless --output (nor does --only)")
    ap.add_argument("-n", "--tries", type=int, default=None, help="tries per case (default 20, 2 with --quick)")
    ap.add_argument("--output", default=None, help="where to write the table (default docs/RELIABILITY.md for full runs)")
    ap.add_argument("--only", default=None, help="run only cases whose name contains this text")
    ap.add_argument("--command", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    n = args.tries if args.tries is not None else (2 if args.quick else 20)
    output = args.output or (None if args.quick or args.only else os.path.join(ROOT, "docs", "RELIABILITY.md"))

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    TMP = tempfile.mkdtemp(prefix="lwpscope-faults.")
    rows = []
    all_ok = True
    started = time.monotonic()
    try:
        helpers = build_helpers()
        ctx = Context(helpers)
        for case in cases(n, args.quick):
            if args.only and args.only not in case.name:
                continue
            outcomes = []
            ctx.tally = {}
            t0 = time.monotonic()
            for i in range(case.tries):
                try:
                    o = case.fn(ctx)
                except Exception as e:  # a broken scenario is a failure, not a crash of the script
                    o = fail(f"scenario error: {type(e).__name__}: {e}")
                outcomes.append(o)
                if o.note == "SKIP":
                    break
            result, good = summarize(case, outcomes)
            t = ctx.tally
            if good and "killed" in t:
                result += f" (killed while attached in {t['killed']}/{t['tries']} tries{'' if t['killed'] == t['tries'] else ', finished first in the rest'})"
            if good and "attached" in t:
                result += f" (target traced by lwpscope at the kill in {t['attached']}/{t['tries']} tries)"
            if good and "died" in t:
                survived = t["tries"] - t["died"]
                result += f" (the program lived in {survived}/{t['tries']} tries" + (
                    ")" if survived == t["tries"] else ", and died of SIGTRAP in the rest: the window between our death and the guardian's write)")
            if good and "runs" in t:
                result += f" ({t['runs']} `dump` runs, all exit 0 or one clear line; {t['after_exec']} tries caught the new image)"
            all_ok &= good
            rows.append((case.name, len(outcomes), result))
            ctx.close()  # fresh fixtures for the next case: none left spinning meanwhile
            log(f"{'ok    ' if good else 'FAILED'} {case.name}: {result} ({time.monotonic() - t0:.1f}s)")
        ctx.close()
    finally:
        cleanup()

    elapsed = time.monotonic() - started
    table = ["| Fault / bad input | Tries | Result |", "|---|---:|---|"]
    for name, tries, result in rows:
        table.append(f"| {name} | {tries} | {result} |")
    command = args.command or "scripts/faults " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    machine = f"{platform.node()}: Linux {platform.release()}, {platform.machine()}, {os.cpu_count()} CPUs"
    try:
        cpu = re.search(r"model name\s*:\s*(.*)", open("/proc/cpuinfo").read()).group(1)
        machine += f" ({cpu})"
    except Exception:
        pass
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    doc = f"""# Reliability

What lwpscope leaves behind when things go wrong: it is killed while attached,
the target dies or execs under it, or it is pointed at odd processes and
binaries. After every try `scripts/faults` checks, within a second, that every
`/proc/PID/task/*/status` of the target shows `TracerPid: 0` and no thread in
tracing stop (`t`), and that a target stopped with SIGSTOP is still stopped
(`T`). Every lwpscope run is under `timeout`, so a hang shows as FAILED.

Generated by `{command.strip()}` on {when}, {machine}; {elapsed:.0f} s.

{chr(10).join(table)}

"Clear error" quotes the one line lwpscope printed on stderr (pids and
numbers replaced by N where they vary). Fuzzing of the ELF and CFI readers is
separate: `scripts/fuzz` (see Fuzz/).
"""
    print("\n".join(table))
    if output:
        os.makedirs(os.path.dirname(output), exist_ok=True)
        open(output, "w").write(doc)
        log(f"wrote {os.path.relpath(output, ROOT)}")
    log(f"{'all cases passed' if all_ok else 'SOME CASES FAILED'} in {elapsed:.0f} s")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
