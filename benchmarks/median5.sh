#!/usr/bin/env bash
# Whole-process time of a command, median of N runs (default 5), like hyperfine.
# Usage: benchmarks/median5.sh [-n RUNS] COMMAND [ARGS...]
# Prints the median wall time and the median CPU time (user + sys, less sensitive to
# other load on a shared machine), with every run's wall time; the command's own output
# is discarded. A failing run stops the measurement.
set -euo pipefail
runs=5
if [[ "${1:-}" == "-n" ]]; then runs=$2; shift 2; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for ((i = 0; i < runs; i++)); do
    /usr/bin/time -a -o "$log" -f "%e %U %S" "$@" >/dev/null 2>&1
done
awk -v cmd="$*" '
    function median(a, n,    i, j, t) {
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
            t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
    { wall[NR] = $1; cpu[NR] = $2 + $3; all = all sprintf(" %.2f", $1) }
    END { printf "median wall %.3f s, cpu %.3f s, %d runs (wall:%s): %s\n",
                 median(wall, NR), median(cpu, NR), NR, all, cmd }' "$log"
