#!/usr/bin/env bash
# Benchmark: one sandbox process behind one gateway on Redis, every operation exposed as a tool (96 tools), loopback
# only. Prints throughput and latency per kind of call, and the gateway's memory after the load.
# Usage: bench/run.sh [seconds-per-phase] [concurrent-clients]   (needs a packaged build: ./mvnw package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
clients=${2:-16}
jar=target/quarkus-app/quarkus-run.jar
[ -f "$jar" ] || { echo "bench: build first: ./mvnw package -DskipTests" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 -n 7 flushdb >/dev/null

sandbox_port=19301
gateway_port=19302
logs=target/bench
mkdir -p "$logs"
MCP_SANDBOX_ONLY=true MCP_PORT=$sandbox_port java -Xmx512m -jar "$jar" >"$logs/sandbox.log" 2>&1 &
sandbox=$!
MCP_BACKEND_BASE_URL=http://127.0.0.1:$sandbox_port/sandbox REDIS_URL=redis://127.0.0.1:6379/7 MCP_PORT=$gateway_port \
  MCP_EXPOSE_ALL_OPERATIONS=1 MCP_RATE_LIMIT_PER_MINUTE=0 MCP_SESSION_FILE= \
  java -Xmx512m -jar "$jar" >"$logs/gateway.log" 2>&1 &
gateway=$!
trap 'kill $sandbox $gateway 2>/dev/null || true' EXIT
for port in $sandbox_port $gateway_port; do
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.3
  done
done

echo "gateway: 96 tools, Redis state store, sandbox backend in another process; ${clients} clients, ${seconds} s per phase"
java bench/Bench.java "http://127.0.0.1:$gateway_port/mcp" sbx_alice "$seconds" "$clients"
rss=$(awk '/VmRSS/ {print $2}' /proc/$gateway/status)
heap=$(curl -fs "http://127.0.0.1:$gateway_port/q/metrics" | awk '/^jvm_memory_used_bytes\{/ && /area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}')
echo "gateway memory after the load: RSS $((rss / 1024)) MiB, heap used ${heap} MiB (limit -Xmx512m)"
