import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const GRAFANA_DIR = resolve(__dirname, '../grafana');
export const DASHBOARD_DIR = join(GRAFANA_DIR, 'dashboards');

export interface PanelTarget {
  dashboard: string;
  panel: string;
  refId: string;
  expr: string;
  instant: boolean;
  datasourceUid: string;
}
export interface DashboardVariable {
  dashboard: string;
  name: string;
  query: string;
  allValue: string;
}
export interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
}
export interface Dashboard {
  file: string;
  uid: string;
  title: string;
  panels: Panel[];
  targets: PanelTarget[];
  variables: DashboardVariable[];
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const str = (x: unknown, what: string): string => {
  if (typeof x !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(x)}`);
  return x;
};
const num = (x: unknown, what: string): number => {
  if (typeof x !== 'number') throw new Error(`${what}: expected a number, got ${JSON.stringify(x)}`);
  return x;
};

/** Panels of a dashboard, including those inside (collapsed) rows. */
function flatPanels(list: unknown): Record<string, unknown>[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).flatMap((p) => [p, ...flatPanels(p.panels)]);
}

/** Parses one provisioned dashboard JSON into the parts the tests check. */
export function readDashboard(file: string): Dashboard {
  const raw: unknown = JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8'));
  if (!isRecord(raw)) throw new Error(`${file}: not an object`);
  const title = str(raw.title, `${file} title`);
  const panels: Panel[] = [];
  const targets: PanelTarget[] = [];
  for (const p of flatPanels(raw.panels)) {
    const ptitle = str(p.title, `${file} panel title`);
    const g = isRecord(p.gridPos) ? p.gridPos : {};
    panels.push({
      id: num(p.id, `${file} ${ptitle} id`),
      type: str(p.type, `${file} ${ptitle} type`),
      title: ptitle,
      gridPos: { x: num(g.x, 'x'), y: num(g.y, 'y'), w: num(g.w, 'w'), h: num(g.h, 'h') },
    });
    if (!Array.isArray(p.targets)) continue;
    for (const t of p.targets.filter(isRecord)) {
      const ds = isRecord(t.datasource) ? t.datasource : {};
      targets.push({
        dashboard: title,
        panel: ptitle,
        refId: str(t.refId, `${file} ${ptitle} refId`),
        expr: str(t.expr, `${file} ${ptitle} expr`),
        instant: t.instant === true,
        datasourceUid: String(ds.uid ?? ''),
      });
    }
  }
  const templating = isRecord(raw.templating) && Array.isArray(raw.templating.list) ? raw.templating.list.filter(isRecord) : [];
  const variables = templating.map((v) => {
    const query = isRecord(v.query) ? v.query.query : v.query;
    return { dashboard: title, name: str(v.name, `${file} variable name`), query: str(query, `${file} variable query`), allValue: str(v.allValue, `${file} allValue`) };
  });
  return { file, uid: str(raw.uid, `${file} uid`), title, panels, targets, variables };
}

export function readDashboards(): Dashboard[] {
  return readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map(readDashboard);
}

/**
 * A panel query as Grafana would send it: template variables set to "All" (their allValue), `$__rate_interval`,
 * `$__interval` and `$__range` replaced. Throws on a variable it does not know (the query would be broken).
 */
export function expandQuery(expr: string, vars: DashboardVariable[], builtins: { rateInterval: string; interval: string; range: string }): string {
  let out = expr
    .replaceAll('$__rate_interval', builtins.rateInterval)
    .replaceAll('$__interval', builtins.interval)
    .replaceAll('$__range', builtins.range);
  for (const v of [...vars].sort((a, b) => b.name.length - a.name.length)) out = out.replaceAll(`\${${v.name}}`, v.allValue).replaceAll(`$${v.name}`, v.allValue);
  if (out.includes('$')) throw new Error(`unknown variable in ${expr}`);
  return out;
}

/** `label_values(metric, label)` → its parts. */
export function parseLabelValues(query: string): { metric: string; label: string } {
  const m = /^label_values\(\s*([^,]+?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(query);
  if (!m || m[1] === undefined || m[2] === undefined) throw new Error(`not a label_values(metric, label) query: ${query}`);
  return { metric: m[1], label: m[2] };
}
