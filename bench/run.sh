#!/usr/bin/env bash
# The benchmark of issue 10 in one command: builds what is missing, starts on free loopback ports its own Redis, the
# standalone sandbox, the gateway (in-process store and Redis store), a bare MCP echo server and a TypeScript SDK peer,
# drives them all with the same checked calls, stops everything it started, and writes a report.
#
#   bench/run.sh [--smoke] [--aot-jar] [--seconds N] [--warmup N]
#
#   --smoke      every system, a handful of checked calls per workload, < 1 min; report in target/bench-smoke/;
#                exit code 1 on any wrong answer
#   --aot-jar    also build the gateway as an aot-jar with the JDK 25 under /usr/lib/jvm and measure its cold start
#                with the JDK's AOT cache (skipped with a note if there is no JDK 25 or the build fails)
#   --seconds N  seconds per measured phase (default 5); --warmup N seconds of warm-up per system (default 15)
#
# Full run: about 15 minutes; report in bench/results/<date>-<machine>/ (machine: BENCH_MACHINE, default the host name).
# See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

smoke=0 aot=0 seconds=5 warmup=15
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --aot-jar) aot=1 ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "bench: unknown argument $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done

for tool in java javac node npm redis-server; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is needed on PATH" >&2; exit 2; }
done

work=target/bench
[ $smoke = 1 ] && work=target/bench-smoke
mkdir -p "$work/logs"
pids="$root/$work/logs/pids"
: > "$pids"
# Whatever happens, stop every process the harness started, by its PID.
cleanup() {
  if [ -s "$pids" ]; then
    while read -r pid; do
      [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done < "$pids"
    sleep 1
    while read -r pid; do
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    done < "$pids"
  fi
}
trap cleanup EXIT

# 1. What the run needs, built only when missing
if [ ! -f gateway/target/quarkus-app/quarkus-run.jar ]; then
  echo "bench: building the gateway (./mvnw -q package -DskipTests)"
  ./mvnw -q package -DskipTests
fi
if [ ! -f bench/echo/target/quarkus-app/quarkus-run.jar ]; then
  echo "bench: building the echo server (bench/echo)"
  ./mvnw -q -f bench/echo/pom.xml package -DskipTests
fi
if [ ! -d bench/peer/node_modules/@modelcontextprotocol/sdk ] || [ ! -d bench/peer/node_modules/express ]; then
  echo "bench: npm ci in bench/peer"
  (cd bench/peer && npm ci --no-audit --no-fund --loglevel=error)
fi
classes=target/bench/classes
if [ ! -d "$classes" ] || [ -n "$(find bench/harness -name '*.java' -newer "$classes" 2>/dev/null)" ]; then
  rm -rf "$classes" && mkdir -p "$classes"
  javac --release 17 -d "$classes" bench/harness/*.java
  touch "$classes"
fi

args=(--root "$root" --seconds "$seconds" --warmup "$warmup" --machine "${BENCH_MACHINE:-$(hostname)}")
[ $smoke = 1 ] && args+=(--smoke)

# 2. With --aot-jar: the gateway packaged as an aot-jar by the JDK 25, into target/bench/aot-build (a copy of the
#    sources, so that gateway/target/quarkus-app stays the JDK 17 build)
if [ $aot = 1 ] && [ $smoke = 0 ]; then
  jdk25=$(ls -d /usr/lib/jvm/*25* 2>/dev/null | head -n 1 || true)
  if [ -z "$jdk25" ] || [ ! -x "$jdk25/bin/java" ]; then
    args+=(--aot-note "AOT cache: no JDK 25 under /usr/lib/jvm; cold start with the AOT cache not measured")
  else
    aot_app=$root/target/bench/aot-build/gateway/target/quarkus-app
    if [ ! -f "$aot_app/quarkus-run.jar" ] || [ gateway/target/quarkus-app/quarkus-run.jar -nt "$aot_app/quarkus-run.jar" ]; then
      echo "bench: building the gateway as an aot-jar with $jdk25"
      rm -rf target/bench/aot-build && mkdir -p target/bench/aot-build
      tar -c --exclude=node_modules --exclude=target pom.xml mvnw .mvn contract sandbox gateway | tar -x -C target/bench/aot-build
      if ! (cd target/bench/aot-build && JAVA_HOME=$jdk25 ./mvnw -q package -DskipTests -Dquarkus.package.jar.type=aot-jar \
            >"$root/$work/logs/aot-build.log" 2>&1); then
        args+=(--aot-note "AOT cache: the aot-jar build with $jdk25 failed (see $work/logs/aot-build.log); not measured")
        aot_app=
      fi
    fi
    [ -n "$aot_app" ] && [ -f "$aot_app/quarkus-run.jar" ] && args+=(--aot-app "$aot_app" --jdk25 "$jdk25")
  fi
fi

java -Dbench.pidfile="$pids" -cp "$classes" Harness "${args[@]}"
