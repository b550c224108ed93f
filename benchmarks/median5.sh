#!/usr/bin/env bash
# Whole-process wall time of a command, median of N runs (default 5), like hyperfine.
# Usage: benchmarks/median5.sh [-n RUNS] COMMAND [ARGS...]
# Prints each run's seconds and the median; the command's own output is discarded.
set -euo pipefail
runs=5
if [[ "${1:-}" == "-n" ]]; then runs=$2; shift 2; fi
times=()
for ((i = 0; i < runs; i++)); do
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc -l)")
done
printf '%s\n' "${times[@]}" | sort -g | awk -v cmd="$*" '
    { t[NR] = $1; all = all sprintf(" %.3f", $1) }
    END { m = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2;
          printf "median %.3f s of %d runs (sorted:%s): %s\n", m, NR, all, cmd }'
