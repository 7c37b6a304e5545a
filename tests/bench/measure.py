#!/usr/bin/env python3
"""Run several commands alternately, RUNS times each, and print for each one line:

    NAME WALL_MS CPU_MS MAX_RSS_KIB

with the median wall time, the median CPU time (user + system, microsecond resolution from
wait4) and the largest peak resident memory over the runs. Alternating the commands spreads
any load on the machine over all of them.

Usage: measure.py RUNS NAME -- CMD ARGS... [NAME -- CMD ARGS...]...
Commands run in the current folder with stdout and stderr discarded; a failing run aborts.

With MEASURE_PAIR="A B" in the environment, one more line

    A-B EXTRA_WALL_MS

gives the median over the rounds of A's wall time minus B's in the same round (paired, so
that load on the machine during a round hits both). MEASURE_PAIR="A B C D" gives A-B and C-D.
"""

import os
import statistics
import subprocess
import sys
import time


def parse(argv):
    runs = int(argv[0])
    cmds = []
    rest = argv[1:]
    while rest:
        name = rest[0]
        if len(rest) < 3 or rest[1] != "--":
            sys.exit("measure.py: expected NAME -- CMD ...")
        rest = rest[2:]
        end = next((i for i in range(len(rest) - 1) if rest[i + 1] == "--"), len(rest))
        cmds.append((name, rest[:end]))
        rest = rest[end:]
    return runs, cmds


def run_once(cmd):
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        sys.exit(f"measure.py: {' '.join(cmd)} failed with {p.returncode}")
    return wall * 1000, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_maxrss


def main():
    runs, cmds = parse(sys.argv[1:])
    results = {name: [] for name, _ in cmds}
    for _ in range(runs):
        for name, cmd in cmds:
            results[name].append(run_once(cmd))
    for name, _ in cmds:
        r = results[name]
        wall = statistics.median(x[0] for x in r)
        cpu = statistics.median(x[1] for x in r)
        rss = max(x[2] for x in r)
        print(f"{name} {wall:.1f} {cpu:.1f} {rss}")
    names = os.environ.get("MEASURE_PAIR", "").split()
    for first, second in zip(names[::2], names[1::2]):
        a, b = results[first], results[second]
        extra = statistics.median(x[0] - y[0] for x, y in zip(a, b))
        print(f"{first}-{second} {extra:.1f}")


if __name__ == "__main__":
    main()
