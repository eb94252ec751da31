import { Writable } from 'node:stream';
import { createLogger } from '../log/logger';
import { createMetricsRegistry } from '../metrics/registry';
import { Lifecycle } from './lifecycle';

function quietLogger(): ReturnType<typeof createLogger> {
  return createLogger({ name: 't', level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
}

describe('Lifecycle', () => {
  it('runs app hooks in reverse order, then bus, redis and http phases, and exits 0', async () => {
    const exits: number[] = [];
    const order: string[] = [];
    const lc = new Lifecycle({ name: 't', logger: quietLogger(), exit: (c) => exits.push(c) });
    lc.setReady(true);
    lc.onShutdown('http', () => order.push('http'), { phase: 'http' });
    lc.onShutdown('redis', () => order.push('redis'), { phase: 'redis' });
    lc.onShutdown('bus', () => order.push('bus'), { phase: 'bus' });
    lc.onShutdown('first', async () => {
      expect(lc.isReady()).toBe(false); // readiness drops before any hook runs
      order.push('first');
    });
    lc.onShutdown('second', () => order.push('second'));
    expect(lc.isReady()).toBe(true);

    const [a, b] = [lc.shutdown('test'), lc.shutdown('again')];
    expect(a).toBe(b);
    expect(await a).toBe(0);
    expect(order).toEqual(['second', 'first', 'bus', 'redis', 'http']);
    expect(exits).toEqual([0]);
    lc.setReady(true);
    expect(lc.isReady()).toBe(false);
  });

  it('keeps going after a failing or hanging hook, and exits 1', async () => {
    const exits: number[] = [];
    const ran: string[] = [];
    const lc = new Lifecycle({ name: 't', logger: quietLogger(), exit: (c) => exits.push(c), hookTimeoutMs: 50 });
    lc.onShutdown('last', () => ran.push('last'), { phase: 'http' });
    lc.onShutdown('hangs', () => new Promise(() => undefined));
    lc.onShutdown('throws', () => {
      throw new Error('boom');
    });
    const started = Date.now();
    expect(await lc.shutdown('test')).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(ran).toEqual(['last']);
    expect(exits).toEqual([1]);
  });

  it('handles signals: the first shuts down gracefully, a second exits at once', async () => {
    const exits: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const lc = new Lifecycle({ name: 't', logger: quietLogger(), exit: (c) => exits.push(c) });
    lc.onShutdown('slow', () => gate);
    lc.handleSignal('SIGTERM');
    expect(lc.shuttingDown).toBe(true);
    lc.handleSignal('SIGINT');
    expect(exits).toEqual([130]);
    release();
    expect(await lc.shutdown('x')).toBe(0);
    expect(exits).toEqual([130, 0]);
  });

  it('installs process handlers once, logs unhandled rejections, and removes them', () => {
    const registry = createMetricsRegistry({ service: 't', defaultMetrics: false });
    const lc = new Lifecycle({ name: 't', logger: quietLogger(), registry, exit: () => undefined });
    const before = process.listenerCount('SIGTERM');
    lc.installSignalHandlers();
    lc.installSignalHandlers();
    try {
      expect(process.listenerCount('SIGTERM')).toBe(before + 1);
      expect(process.listenerCount('SIGINT')).toBeGreaterThan(0);
      process.emit('unhandledRejection', new Error('forgotten'), Promise.resolve());
      const counter = registry.getSingleMetric('process_unhandled_rejections_total');
      return (counter?.get() as Promise<{ values: Array<{ value: number }> }>).then((m) => {
        expect(m.values[0]?.value).toBe(1);
      });
    } finally {
      lc.removeSignalHandlers();
      expect(process.listenerCount('SIGTERM')).toBe(before);
    }
  });
});
