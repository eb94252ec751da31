import { connect, createServer } from 'node:net';

/** Opens a socket, sends `hello` on connect, resolves once `done(lines)` is true; rejects on error/timeout/close. */
function converse(host, port, timeoutMs, hello, done, reply = () => undefined) {
  return new Promise((resolve, reject) => {
    const lines = [];
    let buffer = '';
    let settled = false;
    const socket = connect({ host, port });
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(lines);
    };
    const timer = setTimeout(() => finish(new Error(`no answer from ${host}:${port}`)), timeoutMs);
    socket.once('connect', () => hello && socket.write(hello));
    socket.on('error', finish);
    socket.on('close', () => finish(new Error(`${host}:${port} closed the connection`)));
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let eol;
      while (!settled && (eol = buffer.indexOf('\r\n')) >= 0) {
        lines.push(buffer.slice(0, eol));
        buffer = buffer.slice(eol + 2);
        const answer = reply(lines[lines.length - 1]);
        if (answer) socket.write(answer);
        if (lines.some((l) => l.startsWith('-'))) finish(new Error(lines.find((l) => l.startsWith('-'))));
        else if (done(lines)) finish();
      }
    });
  });
}

/** NATS answers INFO, then PONG to CONNECT + PING. Resolves the INFO object. */
export async function probeNats(host, port, timeoutMs = 1000) {
  const lines = await converse(
    host,
    port,
    timeoutMs,
    '',
    (ls) => ls.includes('PONG'),
    (line) => (line.startsWith('INFO ') ? 'CONNECT {"verbose":false}\r\nPING\r\n' : undefined),
  );
  return JSON.parse(lines.find((l) => l.startsWith('INFO ')).slice(5));
}

/** Redis answers PONG (after AUTH when a password is given). */
export async function probeRedis(host, port, password, timeoutMs = 1000) {
  const hello = `${password ? `AUTH ${password}\r\n` : ''}PING\r\n`;
  await converse(host, port, timeoutMs, hello, (ls) => ls.includes('+PONG'));
}

/** Polls `probe` until it resolves; fails early when `dead()` returns a reason, or after `timeoutMs`. */
export async function waitUntilReady(probe, { timeoutMs = 20_000, dead = () => undefined } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    const reason = dead();
    if (reason) throw new Error(reason);
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`not ready within ${timeoutMs} ms (${lastError?.message ?? 'no answer'})`);
}

/** True when `host:port` can be listened on right now. */
export function isPortFree(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** A port the OS considers free on `host`. */
export function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
