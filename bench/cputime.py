"""CPU time of a whole process tree: a command, its forkserver and every worker, dead or alive.

psutil's view of a running tree misses what matters at the edges: a worker
that has exited is gone from `children()`, and its last CPU-seconds with it;
the forkserver outlives the command by a moment. The kernel keeps the books
instead: a process's RUSAGE_CHILDREN holds the CPU of every descendant that
was reaped, through any depth, as long as each one was reaped by its parent.
The forkserver reaps the workers; the command's exit orphans the forkserver,
which would then be reaped by init and lost. So this process makes itself a
*child subreaper* (Linux prctl): orphans of the tree come back to it, it
reaps them, and their CPU lands in its own RUSAGE_CHILDREN.

    run = run_tree(["python", "-m", "pipeline", "extract", ...])
    run.cpu, run.wall, run.returncode
"""
from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import time
from typing import NamedTuple

_PR_SET_CHILD_SUBREAPER = 36


class TreeRun(NamedTuple):
    returncode: int
    wall: float      # seconds from start to the last process of the tree reaped
    cpu: float       # user + system CPU-seconds of every process of the tree
    pid: int


def become_subreaper() -> bool:
    """Make orphaned descendants this process's children (Linux; False elsewhere)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _reap_all() -> None:
    """Wait for every remaining child (the orphaned forkserver, its workers), so their CPU is counted."""
    while True:
        try:
            pid, _ = os.waitpid(-1, 0)
        except ChildProcessError:
            return
        if pid == 0:
            return


def run_tree(cmd: list[str], cwd=None, on_start=None, **popen) -> TreeRun:
    """Run cmd to the end of its whole tree; its CPU from the kernel's accounts.

    on_start(proc), if given, is called once the command runs (a memory sampler, say).
    Other children of this process must not be running at the same time: their CPU would count too.
    """
    if not become_subreaper():
        raise SystemExit("bench: cannot become a child subreaper (Linux only): the tree's CPU would be undercounted")
    before = _children_cpu()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, **popen)
    if on_start is not None:
        on_start(proc)
    returncode = proc.wait()
    _reap_all()
    wall = time.perf_counter() - started
    return TreeRun(returncode, wall, _children_cpu() - before, proc.pid)
