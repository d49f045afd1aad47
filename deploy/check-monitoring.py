#!/usr/bin/env python3
"""Static checks of the deployment and monitoring files (no Docker, no cluster needed).

  python3 deploy/check-monitoring.py                 # from the repository root
  python3 deploy/check-monitoring.py --metrics-url http://127.0.0.1:9001/q/metrics

1. Every YAML file under deploy/ and k8s/ parses; the dashboard is valid JSON.
2. deploy/prometheus/alerts.yml and k8s/prometheusrule.yaml hold the same rules (identical expressions).
3. Every metric name queried by the alert rules and the dashboard is one the gateway exports (KNOWN below).
   With --metrics-url, each of them must also be present in that live /q/metrics page. Several metrics only appear
   once the code path ran (a tool call, an upstream call, a job, an organization switch, a rate-limit rejection, a
   state store error): exercise those before scraping.
Prints the distinct metric names used, one per line, after "metrics used:". Exits 1 on any problem.
"""
import argparse
import json
import pathlib
import re
import sys
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALERTS = ROOT / "deploy/prometheus/alerts.yml"
RULE_CR = ROOT / "k8s/prometheusrule.yaml"
DASHBOARD = ROOT / "deploy/grafana/dashboards/switchboard.json"

# Names the gateway exports (Prometheus naming), as documented for the service.
KNOWN = {
    "switchboard_tool_calls_seconds_count", "switchboard_tool_calls_seconds_sum", "switchboard_tool_calls_seconds_bucket",
    "switchboard_upstream_requests_seconds_count", "switchboard_upstream_requests_seconds_sum",
    "switchboard_upstream_requests_seconds_bucket",
    "switchboard_jobs_running", "switchboard_jobs_seconds_count", "switchboard_jobs_seconds_sum",
    "switchboard_jobs_seconds_bucket",
    "switchboard_authentications_total", "switchboard_organization_switches_total",
    "switchboard_state_store_errors_total", "switchboard_rate_limit_rejections_total",
    "ft_invocations_total", "ft_retry_calls_total", "ft_retry_retries_total", "ft_circuitbreaker_state_current",
    "ft_circuitbreaker_opened_total", "ft_circuitbreaker_calls_total", "ft_bulkhead_executionsRunning",
    "ft_bulkhead_executionsWaiting", "ft_bulkhead_calls_total", "ft_timeout_calls_total",
    "mcp_server_requests_tools_call_seconds_count", "mcp_server_connections_active",
    "http_server_requests_seconds_count", "jvm_memory_used_bytes", "process_cpu_usage",
}

FUNCTIONS = {
    "rate", "irate", "increase", "delta", "sum", "max", "min", "avg", "count", "histogram_quantile", "vector",
    "label_values", "clamp_min", "clamp_max", "abs", "topk", "bottomk", "max_over_time", "min_over_time",
    "avg_over_time", "absent", "time", "scalar",
}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset"}

problems = []


def metric_names(expr):
    """Metric names of a PromQL expression (Grafana variables allowed)."""
    text = re.sub(r'"(?:\\.|[^"\\])*"', '""', expr)          # string literals: label values, regexes
    text = re.sub(r"label_values\(([^()]*?)\s*,\s*\w+\s*\)", r"label_values(\1)", text)  # Grafana: (metric, label)
    found = set()
    for match in re.finditer(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*\{", text):
        found.add(match.group(1))
    text = re.sub(r"\{[^{}]*\}", " ", text)                  # label matchers
    text = re.sub(r"\[[^\[\]]*\]", " ", text)                # range selectors
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", " ", text)  # label lists
    text = re.sub(r"\$\{?[A-Za-z_]\w*\}?", " ", text)         # Grafana variables
    for match in re.finditer(r"(?<![\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?", text):
        name, call = match.group(1), match.group(2)
        if call:
            if name not in FUNCTIONS:
                problems.append(f"unknown function {name}( in: {expr.strip()}")
        elif name not in KEYWORDS and not re.fullmatch(r"[0-9]*[smhdwy]?", name) and name not in ("Inf", "NaN"):
            found.add(name)
    return found


def load_yaml(path):
    try:
        with open(path) as f:
            return list(yaml.safe_load_all(f))
    except yaml.YAMLError as e:
        problems.append(f"{path.relative_to(ROOT)}: YAML does not parse: {e}")
        return []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--metrics-url", help="a live /q/metrics URL; every metric used must be present there")
    args = parser.parse_args()

    for folder in ("deploy", "k8s"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix in (".yml", ".yaml"):
                load_yaml(path)
    try:
        dashboard = json.loads(DASHBOARD.read_text())
    except ValueError as e:
        problems.append(f"{DASHBOARD.relative_to(ROOT)}: not valid JSON: {e}")
        dashboard = {}

    alerts = load_yaml(ALERTS)[0]
    rule_cr = load_yaml(RULE_CR)[0]
    if rule_cr.get("apiVersion") != "monitoring.coreos.com/v1" or rule_cr.get("kind") != "PrometheusRule":
        problems.append("k8s/prometheusrule.yaml is not a monitoring.coreos.com/v1 PrometheusRule")
    if alerts.get("groups") != rule_cr.get("spec", {}).get("groups"):
        problems.append("deploy/prometheus/alerts.yml and k8s/prometheusrule.yaml differ")

    used = {}
    for group in alerts.get("groups", []):
        for rule in group.get("rules", []):
            for label in ("severity",):
                if label not in rule.get("labels", {}):
                    problems.append(f"alert {rule.get('alert')} has no {label} label")
            for annotation in ("summary", "description"):
                if annotation not in rule.get("annotations", {}):
                    problems.append(f"alert {rule.get('alert')} has no {annotation} annotation")
            for name in metric_names(rule["expr"]):
                used.setdefault(name, set()).add(f"alert {rule.get('alert')}")

    def walk(panels):
        for panel in panels:
            yield panel
            yield from walk(panel.get("panels", []))

    for panel in walk(dashboard.get("panels", [])):
        for target in panel.get("targets", []):
            for name in metric_names(target.get("expr", "")):
                used.setdefault(name, set()).add(f"panel {panel.get('title')!r}")
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") == "query":
            query = variable.get("query")
            query = query.get("query", "") if isinstance(query, dict) else query
            for name in metric_names(query):
                used.setdefault(name, set()).add(f"variable {variable.get('name')}")

    for name in sorted(used):
        if name not in KNOWN:
            problems.append(f"metric {name} is not exported by the gateway (used by {', '.join(sorted(used[name]))})")

    if args.metrics_url:
        with urllib.request.urlopen(args.metrics_url, timeout=10) as response:
            page = response.read().decode()
        live = {m.group(1) for m in re.finditer(r"^([A-Za-z_:][A-Za-z0-9_:]*)[{ ]", page, re.M)}
        for name in sorted(used):
            if name not in live:
                problems.append(f"metric {name} is not in {args.metrics_url} (yet?)")

    print("metrics used:")
    for name in sorted(used):
        print(name)
    if problems:
        print("\nPROBLEMS:", file=sys.stderr)
        for problem in problems:
            print(" - " + problem, file=sys.stderr)
        return 1
    print(f"\nOK: {len(used)} metric names, all known; alerts.yml and prometheusrule.yaml match.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
