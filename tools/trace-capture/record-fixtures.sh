#!/usr/bin/env bash
# Records the trace fixtures of MMUSimulation from real programs with the real tools.
# Usage: tools/trace-capture/record-fixtures.sh [OUTPUT-DIR]
# (default: Sources/MMUDemo/Fixtures). Needs strace (apt-get install -y strace), valgrind,
# gcc and python3. Pids and addresses differ on every run, so the golden tests of
# MMUSimulationTests must be updated after re-recording.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(cd "${1:-$here/../../Sources/MMUDemo/Fixtures}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# 1. /bin/ls under strace, all memory and process calls, file descriptors decorated with paths
#    (-y), written with -o (every line starts with the pid).
strace -f -y -e trace=memory,process -o "$out/ls.strace" /bin/ls /usr > /dev/null

# 2. A python3 program that forks a child which maps, grows (mremap) and unmaps memory.
#    Written to standard error instead of -o, so lines carry "[pid N]" prefixes only while
#    several processes live, and strace's "Process N attached" notice can land inside a line.
python="$(python3 -c 'import sys; print(sys.executable)')"
strace -f -y -e trace=memory,process "$python" -S "$here/python-fork-demo.py" 2> "$out/python-fork.strace"

# 3. A shell running two programs, traced with memory calls only (no clone/execve lines):
#    a pid seen for the first time is then taken as a fork of the first pid.
strace -f -e trace=memory -o "$out/sh-memory.strace" sh -c '/bin/ls /usr > /dev/null; /bin/true'

# 4. valgrind's lackey on a tiny static C program that writes its own memory layout
#    (/proc/self/maps, read inside valgrind) at the start of main.
gcc -O1 -static -o "$work/lackey-demo" "$here/lackey-demo.c"
(cd "$work" && valgrind --tool=lackey --trace-mem=yes --log-file="$out/lackey-demo.lackey" \
    ./lackey-demo "$out/lackey-demo.maps")

ls -l "$out"
