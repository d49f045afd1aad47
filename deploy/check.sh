#!/usr/bin/env bash
# Checks of the deployment files, run by the test suite (DeployFilesTest) and by hand:
#
#   deploy/check.sh            all checks
#   deploy/check.sh rules      promtool check rules + promtool test rules (alerts.yml, k8s/prometheusrule.yaml)
#   deploy/check.sh k8s        kubectl kustomize k8s/ + schema validation of every object (and of the manifests
#                              kept out of kustomization.yaml: Knative, Ingress, NetworkPolicy, Secret example)
#   deploy/check.sh nginx      nginx -t on deploy/nginx/nginx.conf, then a real nginx on loopback in front of a
#                              stub upstream: SSE events pass unbuffered, the Host header is kept, /q/* is not published
#
# Tools: promtool (Debian package "prometheus"), kubectl (or kustomize), node + npm (schemas from the npm registry,
# pinned in gateway/src/test/deploy-schema/package-lock.json), nginx (Debian "nginx-light" or "nginx"). A missing tool
# makes its check SKIP (exit 77) with a message, unless the environment variable CI is set: then it FAILS.
# Exit status: 0 passed, 1 failed, 77 skipped (only when every check run was skipped or passed with one skipped).
# Nothing here touches the network except npm ci, and only when gateway/src/test/deploy-schema/node_modules is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SKIPPED=0
FAILED=0

say() { printf '%s\n' "$*"; }

# missing TOOL CHECK: a tool is absent: skip, or fail under CI.
missing() {
  if [ -n "${CI:-}" ]; then
    say "FAIL [$2] $1 is not installed (CI is set, so missing tools fail; .ci/run installs them)"
    FAILED=1
  else
    say "SKIP [$2] $1 is not installed (install it to run this check; under CI=true this fails)"
    SKIPPED=1
  fi
}

check_rules() {
  if ! command -v promtool >/dev/null 2>&1; then missing promtool rules; return; fi
  local tmp
  tmp=$(mktemp -d)
  # The PrometheusRule's spec is a plain rules file; compare it with alerts.yml and let promtool check it too.
  if ! node_yaml_spec "$ROOT/k8s/prometheusrule.yaml" > "$tmp/prometheusrule-spec.yml" 2> "$tmp/err"; then
    # Without node, fall back to text: the spec is alerts.yml's groups indented by two spaces.
    sed -n '/^spec:/,$p' "$ROOT/k8s/prometheusrule.yaml" | tail -n +2 | sed 's/^  //' > "$tmp/prometheusrule-spec.yml"
  fi
  if promtool check rules "$ROOT/deploy/prometheus/alerts.yml" "$tmp/prometheusrule-spec.yml"; then
    say "ok   [rules] promtool check rules: alerts.yml and k8s/prometheusrule.yaml"
  else
    say "FAIL [rules] promtool check rules"
    FAILED=1
  fi
  if (cd "$ROOT/deploy/prometheus" && promtool test rules alerts.test.yml); then
    say "ok   [rules] promtool test rules alerts.test.yml"
  else
    say "FAIL [rules] promtool test rules alerts.test.yml"
    FAILED=1
  fi
  rm -rf "$tmp"
}

# Prints the spec of a PrometheusRule as YAML (needs node and the schema packages' yaml module).
node_yaml_spec() {
  command -v node >/dev/null 2>&1 && [ -d "$ROOT/gateway/src/test/deploy-schema/node_modules/yaml" ] || return 1
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { createRequire } from "node:module";
    const require = createRequire(process.argv[2] + "/");
    const { parse, stringify } = await import(require.resolve("yaml"));
    process.stdout.write(stringify(parse(readFileSync(process.argv[1], "utf8")).spec));
  ' "$1" "$ROOT/gateway/src/test/deploy-schema"
}

ensure_schema_packages() {
  local dir="$ROOT/gateway/src/test/deploy-schema"
  if [ -d "$dir/node_modules/kubernetes-models" ] && [ -d "$dir/node_modules/yaml" ]; then return 0; fi
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || return 1
}

check_k8s() {
  local render
  if command -v kubectl >/dev/null 2>&1; then
    render=(kubectl kustomize "$ROOT/k8s")
  elif command -v kustomize >/dev/null 2>&1; then
    render=(kustomize build "$ROOT/k8s")
  else
    missing "kubectl (or kustomize)" k8s; return
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then missing "node and npm" k8s; return; fi
  if ! ensure_schema_packages; then say "FAIL [k8s] npm ci in gateway/src/test/deploy-schema"; FAILED=1; return; fi
  local tmp
  tmp=$(mktemp -d)
  if ! "${render[@]}" > "$tmp/kustomized.yaml" 2> "$tmp/err"; then
    say "FAIL [k8s] ${render[*]}: $(cat "$tmp/err")"
    FAILED=1
    rm -rf "$tmp"
    return
  fi
  say "ok   [k8s] ${render[*]} rendered $(grep -c '^kind:' "$tmp/kustomized.yaml") objects"
  if node "$ROOT/gateway/src/test/deploy-schema/validate.mjs" "$tmp/kustomized.yaml" "$ROOT/k8s/knative-service.yaml" \
      "$ROOT/k8s/ingress.yaml" "$ROOT/k8s/networkpolicy.yaml" "$ROOT/k8s/secret.example.yaml" | sed 's/^/     /'; then
    say "ok   [k8s] every object matches its schema"
  else
    say "FAIL [k8s] schema validation"
    FAILED=1
  fi
  rm -rf "$tmp"
}

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

check_nginx() {
  local nginx_bin
  nginx_bin=$(command -v nginx || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true)
  if [ -z "$nginx_bin" ]; then missing nginx nginx; return; fi
  local tmp
  tmp=$(mktemp -d)
  chmod 755 "$tmp"
  # A copy with loopback addresses and private paths (pid, temp directories, logs), so that it runs as any user and
  # never meets another nginx on this machine.
  if ! command -v node >/dev/null 2>&1; then missing node nginx; rm -rf "$tmp"; return; fi
  local upstream_port lb_port
  upstream_port=$(free_port)
  lb_port=$(free_port)
  sed -e "s#set \$switchboard_gateways http://gateway:9001;#set \$switchboard_gateways http://127.0.0.1:$upstream_port;#" \
      -e "s#listen 9001;#listen 127.0.0.1:$lb_port;#" \
      -e "s#/tmp/#$tmp/#g" \
      -e "s#access_log /dev/stdout;#access_log $tmp/access.log;#" \
      -e "s#error_log stderr warn;#error_log $tmp/error.log warn;#" \
      "$ROOT/deploy/nginx/nginx.conf" > "$tmp/nginx.conf"
  if ! grep -q "127.0.0.1:$upstream_port" "$tmp/nginx.conf" || ! grep -q "listen 127.0.0.1:$lb_port;" "$tmp/nginx.conf"; then
    say "FAIL [nginx] the config no longer has 'set \$switchboard_gateways http://gateway:9001;' and 'listen 9001;'"
    FAILED=1; rm -rf "$tmp"; return
  fi
  if "$nginx_bin" -t -c "$tmp/nginx.conf" > "$tmp/t.out" 2>&1; then
    say "ok   [nginx] nginx -t ($("$nginx_bin" -v 2>&1 | sed 's/.*version: //')) on deploy/nginx/nginx.conf with loopback upstreams"
  else
    say "FAIL [nginx] nginx -t: $(cat "$tmp/t.out")"
    FAILED=1; rm -rf "$tmp"; return
  fi
  # Run it: nginx in front of a stub upstream (node), driven by a client that checks what a real MCP client needs.
  node "$ROOT/gateway/src/test/deploy-schema/nginx-sse-check.mjs" "$nginx_bin" "$tmp/nginx.conf" "$lb_port" "$upstream_port" \
    2>&1 | sed 's/^/     /'
  if [ "${PIPESTATUS[0]}" -eq 0 ]; then
    say "ok   [nginx] SSE through nginx: events unbuffered, Host kept, only the MCP routes published"
  else
    say "FAIL [nginx] SSE through nginx (see above; nginx error log: $(tail -n 3 "$tmp/error.log" 2>/dev/null))"
    FAILED=1
  fi
  rm -rf "$tmp"
}

what=${1:-all}
case "$what" in
  rules) check_rules ;;
  k8s) check_k8s ;;
  nginx) check_nginx ;;
  all) check_rules; check_k8s; check_nginx ;;
  *) say "usage: $0 [all|rules|k8s|nginx]"; exit 2 ;;
esac

if [ "$FAILED" -ne 0 ]; then exit 1; fi
if [ "$SKIPPED" -ne 0 ]; then exit 77; fi
exit 0
