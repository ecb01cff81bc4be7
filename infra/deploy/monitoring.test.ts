// The alert rules and the Grafana dashboard use only metrics that exist: PontePA's own (from the
// real registry of server/platform/observability/metrics.ts, default Node metrics included)
// and the few that Prometheus and kube-state-metrics provide. Every alert has a severity, a
// summary and a runbook section that exists in docs/operations.md.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../server/platform/observability/metrics.ts";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");
const EXTERNAL = new Set(["up", "kube_deployment_status_replicas_available"]);

/** Every series name PontePA's registry exposes (histograms as _bucket, _sum, _count). */
async function exported(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of await createMetrics("test").registry.getMetricsAsJSON()) {
    names.add(m.name);
    if (String(m.type) === "histogram") for (const s of ["_bucket", "_sum", "_count"]) names.add(m.name + s);
  }
  return names;
}

/** Metric names in a PromQL expression (identifiers that are neither functions, keywords, labels nor strings). */
function metricsIn(expr: string): string[] {
  const withoutStrings = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\[[^\]]*\]/g, "[]");
  const words = withoutStrings.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? [];
  const notMetrics = new Set([
    "sum",
    "rate",
    "increase",
    "by",
    "and",
    "or",
    "unless",
    "max",
    "min",
    "avg",
    "scalar",
    "histogram_quantile",
    "le",
    "outcome",
    "instance",
    "tenant",
    "operation",
  ]);
  return words.filter((w) => !notMetrics.has(w));
}

type Rule = { alert: string; expr: string; labels: Record<string, string>; annotations: Record<string, string> };
const rules: Rule[] = (
  parse(read("infra/deploy/monitoring/alerts.yaml")) as { groups: Array<{ rules: Rule[] }> }
).groups.flatMap((g) => g.rules);
const dashboard = JSON.parse(read("infra/deploy/monitoring/grafana-dashboard.json")) as {
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
};

describe("monitoring", () => {
  it("alerts and dashboard query only metrics that exist", async () => {
    const known = await exported();
    const used = [
      ...rules.map((r) => r.expr),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ].flatMap(metricsIn);
    expect(used.length).toBeGreaterThan(10);
    expect(used.filter((m) => !known.has(m) && !EXTERNAL.has(m))).toEqual([]);
    expect(metricsIn('sum(rate(pontepa_made_up_total{outcome="OK"}[5m]))')).toEqual(["pontepa_made_up_total"]);
  });

  it("covers the service levels pagoPA measures", () => {
    const all = [...rules.map((r) => r.expr), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))].join(
      "\n",
    );
    expect(all).toMatch(/route="\/nodo\/paForNode",le="2"/);
    expect(all).toMatch(/sum by \(outcome\) \(rate\(pontepa_nodo_answers_total/);
    expect(all).toMatch(/sum by \(tenant\) \(rate\(pontepa_receipts_acknowledged_total/);
  });

  it("gives every alert a severity, a summary and a runbook section that exists", () => {
    const anchors = new Set(
      [...read("docs/operations.md").matchAll(/^#+ .*\{#([a-z-]+)\}|<a id="([a-z-]+)">/gm)].map((m) => m[1] ?? m[2]),
    );
    for (const rule of rules) {
      expect(["critical", "warning"]).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      const anchor = /^docs\/operations\.md#([a-z-]+)$/.exec(rule.annotations.runbook ?? "")?.[1];
      expect(anchors, `${rule.alert} → ${rule.annotations.runbook}`).toContain(
        anchor ?? "(no docs/operations.md#anchor)",
      );
    }
  });
});
