// Small builders for Grafana dashboard JSON (schemaVersion 39, Grafana 10/11): panels are laid out left to right in
// a 24-column grid, a row() starts a new line. Every query goes to the provisioned Prometheus datasource (uid below).

/** Must match provisioning/datasources/prometheus.yaml. */
export const DATASOURCE = { type: 'prometheus', uid: 'prometheus' };

/** Template-variable value meaning "every value" (the regex the test substitutes too). */
export const ALL = '.*';

/**
 * One Prometheus query. `legend`: Grafana legend format (`{{label}}`); `format: 'heatmap'` for bucket series.
 * `instant: true` for stat/bar-gauge panels that show one value per series.
 */
export function q(expr, legend = '', opts = {}) {
  return { expr, legend, ...opts };
}

/** `label_values(metric, label)` variable: multi-select with "All" (= `.*`), refreshed on time-range change. */
export function variable(name, label, metric, labelName) {
  const query = `label_values(${metric}, ${labelName})`;
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    definition: query,
    query: { query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    includeAll: true,
    allValue: ALL,
    multi: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    refresh: 2,
    sort: 1,
    hide: 0,
    options: [],
    regex: '',
    skipUrlSync: false,
  };
}

function targets(queries, defaults = {}) {
  return queries.map((x, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: DATASOURCE,
    editorMode: 'code',
    expr: x.expr,
    legendFormat: x.legend === '' ? '__auto' : x.legend,
    range: !(x.instant ?? defaults.instant ?? false),
    instant: x.instant ?? defaults.instant ?? false,
    ...(x.format !== undefined ? { format: x.format } : {}),
  }));
}

/** Time series. opts: unit, min, max, stack, bars, decimals, w, h, description, stepped. */
export function timeseries(title, queries, opts = {}) {
  return {
    type: 'timeseries',
    title,
    description: opts.description ?? '',
    w: opts.w ?? 8,
    h: opts.h ?? 8,
    datasource: DATASOURCE,
    fieldConfig: {
      defaults: {
        unit: opts.unit ?? 'short',
        ...(opts.min !== undefined ? { min: opts.min } : {}),
        ...(opts.max !== undefined ? { max: opts.max } : {}),
        ...(opts.decimals !== undefined ? { decimals: opts.decimals } : {}),
        custom: {
          drawStyle: opts.bars ? 'bars' : 'line',
          lineInterpolation: opts.stepped ? 'stepAfter' : 'linear',
          lineWidth: 1,
          fillOpacity: opts.bars || opts.stack ? 60 : 10,
          showPoints: 'never',
          spanNulls: false,
          stacking: { mode: opts.stack ? 'normal' : 'none', group: 'A' },
        },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: opts.calcs ?? ['lastNotNull', 'max'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    targets: targets(queries),
  };
}

/** Single values (last value of each query). opts: unit, decimals, mappings, thresholds, w, h, description. */
export function stat(title, queries, opts = {}) {
  return {
    type: 'stat',
    title,
    description: opts.description ?? '',
    w: opts.w ?? 4,
    h: opts.h ?? 4,
    datasource: DATASOURCE,
    fieldConfig: {
      defaults: {
        unit: opts.unit ?? 'short',
        ...(opts.decimals !== undefined ? { decimals: opts.decimals } : {}),
        mappings: opts.mappings ?? [],
        thresholds: opts.thresholds ?? { mode: 'absolute', steps: [{ color: 'green', value: null }] },
        color: { mode: 'thresholds' },
      },
      overrides: [],
    },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'value', graphMode: 'area', textMode: 'auto', justifyMode: 'auto', orientation: 'auto' },
    targets: targets(queries),
  };
}

/** One bar per series (instant queries). opts: unit, w, h, description. */
export function bargauge(title, queries, opts = {}) {
  return {
    type: 'bargauge',
    title,
    description: opts.description ?? '',
    w: opts.w ?? 8,
    h: opts.h ?? 8,
    datasource: DATASOURCE,
    fieldConfig: { defaults: { unit: opts.unit ?? 'short', min: 0, color: { mode: 'continuous-GrYlRd' } }, overrides: [] },
    options: { orientation: 'horizontal', displayMode: 'gradient', showUnfilled: true, reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
    targets: targets(queries, { instant: true }),
  };
}

/** Heatmap of a Prometheus histogram: query `sum by (le) (increase(<name>_bucket[...]))`. opts: unit, w, h. */
export function heatmap(title, expr, opts = {}) {
  return {
    type: 'heatmap',
    title,
    description: opts.description ?? '',
    w: opts.w ?? 12,
    h: opts.h ?? 8,
    datasource: DATASOURCE,
    fieldConfig: { defaults: {}, overrides: [] },
    options: {
      calculate: false,
      yAxis: { unit: opts.unit ?? 'short' },
      cellGap: 1,
      color: { mode: 'scheme', scheme: 'Oranges', steps: 64, exponent: 0.5, fill: 'dark-orange', reverse: false },
      rowsFrame: { layout: 'auto' },
      tooltip: { show: true, yHistogram: true },
      legend: { show: true },
      filterValues: { le: 1e-9 },
    },
    targets: targets([q(expr, '{{le}}', { format: 'heatmap' })]),
  };
}

export function row(title) {
  return { type: 'row', title, collapsed: false, w: 24, h: 1, panels: [] };
}

/** Quantiles of a Prometheus histogram `name` by `by` labels (besides `le`). */
export function quantiles(name, by, qs, filter = '') {
  const group = [...by, 'le'].join(', ');
  const prefix = by.map((l) => `{{${l}}} `).join('');
  return qs.map((x) =>
    q(`histogram_quantile(${x}, sum by (${group}) (rate(${name}_bucket${filter}[$__rate_interval])))`, `${prefix}p${Math.round(x * 100)}`),
  );
}

/** A whole dashboard: panels get ids and grid positions in order. */
export function dashboard({ uid, title, description, tags, variables = [], panels }) {
  let x = 0;
  let y = 0;
  let lineH = 0;
  const laid = panels.map((p, i) => {
    const { w, h, ...rest } = p;
    if (p.type === 'row' || x + w > 24) {
      y += lineH;
      x = 0;
      lineH = 0;
    }
    const gridPos = { h, w, x, y };
    if (p.type === 'row') {
      y += h;
    } else {
      x += w;
      lineH = Math.max(lineH, h);
    }
    return { id: i + 1, gridPos, ...rest };
  });
  return {
    uid,
    title,
    description,
    tags: ['arb', ...tags],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    timepicker: { refresh_intervals: ['5s', '10s', '30s', '1m', '5m'] },
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    annotations: { list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }] },
    links: [{ title: 'Arbitrage', type: 'dashboards', tags: ['arb'], asDropdown: true, includeVars: false, keepTime: true }],
    templating: { list: variables },
    panels: laid,
  };
}
