#!/bin/sh
# Cold runs of two heaplens builds or option sets, paired and interleaved by farm-bench, each run after
# a pause, as a user meets the machine: on the 2-core VMs measured, memory a process frees is handed
# back within seconds, and a command started right after the other's exit found its pages still at
# hand and ran with a third of the system time (farm-bench's first command of each pair was the slow
# one whichever build it was: an identical jar under two names measured 1.18x, then 0.87x).
#
#   benchmarks/cold-pairs.sh RUNS DUMP "OPTIONS_A" JAR_A "OPTIONS_B" JAR_B
#   benchmarks/cold-pairs.sh 5 benchmarks/target/dumps/h2-small.hprof "" target/heaplens-cli.jar \
#       "-XX:G1HeapRegionSize=4m" /tmp/old-cli.jar
#
# Prints farm-bench's user, system, wall and peak lines; every wall time includes the pause (PAUSE
# seconds, default 3): subtract it before taking a ratio of walls.
set -eu
if [ $# -ne 6 ]; then
  sed -n '2,13p' "$0" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")/.." && pwd)
runs=$1 dump=$2 opts_a=$3 jar_a=$4 opts_b=$5 jar_b=$6
pause=${PAUSE:-3}
run() { # options jar
  echo "sleep $pause; HEAPLENS_JAR='$2' HEAPLENS_JAVA_OPTS='$1' exec '$here/bin/heaplens' analyze --format json '$dump' >/dev/null"
}
farm-bench -n "$runs" --timeout 1800 --vs "sh -c \"$(run "$opts_b" "$jar_b")\"" -- sh -c "$(run "$opts_a" "$jar_a")" 2>&1 \
  | grep -E '^(A|B) (user|sys|wall|peak)|^A/B (user|wall)'
