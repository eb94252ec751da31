import { parseInfo, respCall } from './resp';
import { RespReplyError } from './errors';
import { startRedisSentinel, type RedisSentinelHandle } from './local-redis-sentinel';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('startRedisSentinel (real redis-server processes)', () => {
  let set: RedisSentinelHandle;
  let pids: number[] = [];

  beforeAll(async () => {
    set = await startRedisSentinel({ users: { app: 'resetkeys ~app:* -@all +@connection +get +set' } });
    pids = [...set.nodes, ...set.sentinels].map((n) => n.pid ?? -1);
  }, 60_000);

  afterAll(async () => {
    await set?.stop();
  });

  it('runs a primary, a replica and 3 Sentinels that agree on them', async () => {
    expect(set.nodes).toHaveLength(2);
    expect(set.sentinelNodes).toHaveLength(3);
    expect(pids.every((p) => p > 0 && alive(p))).toBe(true);
    expect(await set.primary()).toBe(set.nodes[0]);
    const replica = parseInfo(await set.adminCall(set.nodes[1]!, ['INFO', 'replication']));
    expect([replica.get('role'), replica.get('master_port'), replica.get('master_link_status')]).toEqual(['slave', String(set.nodes[0]!.port), 'up']);
  });

  it('authenticates like the shipped deployment: default user off, ACL users limited to their rules, Sentinels password-protected', async () => {
    const [p] = set.nodes;
    await expect(respCall(p!.host, p!.port, [['PING']])).rejects.toThrow(RespReplyError);
    await expect(respCall(p!.host, p!.port, [['AUTH', 'app', 'wrong'], ['PING']])).rejects.toThrow(/WRONGPASS/);
    const ok = await respCall(p!.host, p!.port, [['AUTH', 'app', set.password('app')], ['SET', 'app:x', '1'], ['GET', 'app:x']]);
    expect(ok).toEqual(['OK', 'OK', '1']);
    await expect(respCall(p!.host, p!.port, [['AUTH', 'app', set.password('app')], ['SET', 'other:x', '1']])).rejects.toThrow(/NOPERM/);
    const s = set.sentinels[0]!;
    await expect(respCall(s.host, s.port, [['SENTINEL', 'MASTERS']])).rejects.toThrow(/NOAUTH/);
    expect(set.url('app')).toMatch(new RegExp(`^redis://app:[0-9a-f]+@127\\.0\\.0\\.1:${p!.port}$`));
  });

  it('stop() leaves no process running', async () => {
    await set.stop();
    expect(pids.filter(alive)).toEqual([]);
  });
});
