import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { whichBinary } from '@arb/testkit';
import { expandQuery, GRAFANA_DIR, parseLabelValues, readDashboards } from './observability-dashboards';
import { ROOT, scrapeJobs } from './observability-stack';

/** Static checks of deploy/prometheus and deploy/grafana (the real-Prometheus run is observability.int.test.ts). */
const PROM_DIR = resolve(ROOT, 'deploy/prometheus');
const node = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

function promtool(): string {
  const bin = whichBinary('promtool');
  if (bin === undefined) throw new Error('promtool not found: `node scripts/setup.mjs` installs Debian\'s prometheus package (apt-get install -y prometheus)');
  return bin;
}

describe('deploy/prometheus', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'arb-prom-static-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the committed prometheus.yml and prometheus.local.yml are what render.mjs writes (no drift)', () => {
    const r = node([join(PROM_DIR, 'render.mjs'), '--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('both files are valid Prometheus configs (promtool)', () => {
    for (const file of ['prometheus.yml', 'prometheus.local.yml']) {
      const out = execFileSync(promtool(), ['check', 'config', join(PROM_DIR, file)], { encoding: 'utf8' });
      expect(out).toContain('SUCCESS');
    }
  });

  it('scrapes every stack entry in both variants: compose by service name (DNS), local on the stack ports', () => {
    const compose = readFileSync(join(PROM_DIR, 'prometheus.yml'), 'utf8');
    const local = readFileSync(join(PROM_DIR, 'prometheus.local.yml'), 'utf8');
    const jobs = scrapeJobs();
    expect(jobs.map((j) => j.job)).toEqual(['exchange-sim', 'feed-ingestor', 'detector', 'executor', 'stats']);
    for (const { job, entries } of jobs) {
      expect(compose).toContain(`job_name: '${job}'`);
      expect(local).toContain(`job_name: '${job}'`);
      for (const e of entries) {
        expect(compose).toContain(`names: ['${e.name}']`);
        expect(local).toContain(`stack_entry: '${e.name}'`);
      }
    }
    // exchange-sim serves /metrics on its control port (config sim.control.port), the others on http.port.
    expect(local).toContain("targets: ['127.0.0.1:18080']");
    expect(local).toContain("targets: ['127.0.0.1:9130', '127.0.0.1:9131']");
    expect(compose).toMatch(/names: \['executor'\]\n\s+type: A\n\s+port: 9100/);
  });

  it('matches docker-compose.yml: a compose service per scraped name, http.port 9100, the config mounted', () => {
    const compose = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    for (const { entries } of scrapeJobs()) for (const e of entries) expect(compose).toMatch(new RegExp(`^  ${e.name}:$`, 'm'));
    expect(compose).toMatch(/ARB__HTTP__PORT: "9100"/);
    expect(compose).toMatch(/ARB__SIM__CONTROL__PORT: "18080"/);
    expect(compose).toContain('./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml');
  });

  it('renders a test config with the ports actually used, and refuses one that leaves a stack entry out', () => {
    const ports: Record<string, number[]> = {};
    let p = 40000;
    for (const { entries } of scrapeJobs()) for (const e of entries) ports[e.name] = Array.from({ length: e.instances }, () => p++);
    const out = join(dir, 'test.yml');
    const ok = node([join(PROM_DIR, 'render.mjs'), '--variant', 'local', '--ports', JSON.stringify(ports), '--scrape-interval', '1s', '--out', out]);
    expect(ok.status).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('scrape_interval: 1s');
    expect(text).toContain("'127.0.0.1:40000'");
    expect(execFileSync(promtool(), ['check', 'config', out], { encoding: 'utf8' })).toContain('SUCCESS');

    const { stats: _left, ...partial } = ports;
    const bad = node([join(PROM_DIR, 'render.mjs'), '--variant', 'local', '--ports', JSON.stringify(partial)]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/ports must name exactly .*stats/);
  });
});

describe('deploy/grafana', () => {
  const dashboards = readDashboards();
  const provisioning = (file: string): string => readFileSync(join(GRAFANA_DIR, 'provisioning', file), 'utf8');

  it('the committed dashboards are what render.mjs writes from src/ (no drift)', () => {
    const r = node([join(GRAFANA_DIR, 'render.mjs'), '--check']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('provisions the Prometheus datasource every panel uses, and the dashboards folder', () => {
    const ds = provisioning('datasources/prometheus.yaml');
    const uid = /^\s+uid: (\S+)$/m.exec(ds)?.[1];
    expect(uid).toBe('prometheus');
    expect(ds).toMatch(/url: http:\/\/prometheus:9090/);
    // $__rate_interval is 4 x timeInterval: it must be the scrape interval of the compose Prometheus.
    const scrape = /scrape_interval: (\S+)/.exec(readFileSync(resolve(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8'))?.[1];
    expect(ds).toContain(`timeInterval: ${scrape}`);
    for (const d of dashboards) for (const t of d.targets) expect(`${d.title}/${t.panel}:${t.datasourceUid}`).toBe(`${d.title}/${t.panel}:${uid}`);
    expect(provisioning('dashboards/arb.yaml')).toMatch(/path: \/var\/lib\/grafana\/dashboards/);
    const compose = readFileSync(resolve(ROOT, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain('./deploy/grafana/provisioning:/etc/grafana/provisioning');
    expect(compose).toContain('./deploy/grafana/dashboards:/var/lib/grafana/dashboards');
  });

  it('has the feeds, detection, execution and services dashboards with unique uids', () => {
    expect(dashboards.map((d) => d.uid).sort()).toEqual(['arb-detection', 'arb-execution', 'arb-feeds', 'arb-services']);
    for (const d of dashboards) expect(d.file).toBe(`${d.uid}.json`);
  });

  it('lays panels out on the 24-column grid without overlaps, with unique ids', () => {
    for (const d of dashboards) {
      expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
      const taken = new Set<string>();
      for (const p of d.panels) {
        const { x, y, w, h } = p.gridPos;
        expect(x >= 0 && w > 0 && x + w <= 24 && h > 0).toBe(true);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            const cell = `${i},${j}`;
            if (taken.has(cell)) throw new Error(`${d.title}: panel "${p.title}" overlaps another at ${cell}`);
            taken.add(cell);
          }
        }
      }
    }
  });

  it('every variable is a label_values() query used by some panel; every query uses only known variables', () => {
    for (const d of dashboards) {
      for (const v of d.variables) {
        expect(() => parseLabelValues(v.query)).not.toThrow();
        expect(d.targets.some((t) => t.expr.includes(`$${v.name}`))).toBe(true);
      }
      for (const t of d.targets) expect(() => expandQuery(t.expr, d.variables, { rateInterval: '1m', interval: '15s', range: '1h' })).not.toThrow();
    }
  });

  it('every panel query is valid PromQL (promtool check rules on them as recording rules)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'arb-promql-'));
    try {
      const rules: string[] = ['groups:', '  - name: dashboards', '    rules:'];
      let n = 0;
      for (const d of dashboards) {
        for (const t of d.targets) {
          const expr = expandQuery(t.expr, d.variables, { rateInterval: '1m', interval: '15s', range: '1h' });
          rules.push(`      - record: dashboard_query_${n++}`, `        expr: ${JSON.stringify(expr)}`);
        }
      }
      const file = join(dir, 'rules.yml');
      writeFileSync(file, `${rules.join('\n')}\n`);
      const r = spawnSync(promtool(), ['check', 'rules', file], { encoding: 'utf8' });
      expect(`${r.stdout}${r.stderr}`).toContain(`SUCCESS: ${n} rules found`);
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
