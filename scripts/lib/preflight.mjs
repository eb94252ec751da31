import { accessSync, constants, readFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { isIP, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

/** The credential variables each venue's live trading client reads (each also as `<NAME>_FILE`: a path to the value). */
export const CREDENTIAL_VARS = {
  binance: ['BINANCE_API_KEY', 'BINANCE_API_SECRET'],
  coinbase: ['COINBASE_API_KEY_NAME', 'COINBASE_API_PRIVATE_KEY'],
};

/** One problem per credential that is missing or unusable: `{ venue, name, problem }`. */
export function credentialProblems(venues, env = process.env) {
  const problems = [];
  for (const venue of venues) {
    for (const name of CREDENTIAL_VARS[venue] ?? []) {
      const direct = env[name];
      const file = env[`${name}_FILE`];
      const hasDirect = direct !== undefined && direct !== '';
      const hasFile = file !== undefined && file !== '';
      let problem;
      if (hasDirect && hasFile) problem = `both ${name} and ${name}_FILE are set: use one`;
      else if (!hasDirect && !hasFile) problem = `${name} is not set (nor ${name}_FILE)`;
      else if (hasFile) problem = fileProblem(name, file);
      if (problem) problems.push({ venue, name, problem });
    }
  }
  return problems;
}

function fileProblem(name, file) {
  try {
    accessSync(file, constants.R_OK);
    if (readFileSync(file, 'utf8').trim() === '') return `${name}_FILE (${file}) is empty`;
  } catch (error) {
    return `${name}_FILE (${file}) cannot be read: ${error.code ?? error.message}`;
  }
  return undefined;
}

const DEFAULT_PORTS = { 'https:': 443, 'wss:': 443, 'http:': 80, 'ws:': 80 };

function withTimeout(promise, ms, onTimeout) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens a TCP (and for https/wss a TLS) connection within `timeoutMs`, then closes it; rejects with { stage, detail }. */
function openConnection(host, address, port, secure, timeoutMs) {
  return new Promise((resolve, reject) => {
    const socket = secure
      ? tlsConnect({ host: address, port, ...(isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'] })
      : tcpConnect({ host: address, port });
    let connected = false;
    const timer = setTimeout(() => done({ stage: connected ? 'tls-timeout' : 'timeout' }), timeoutMs);
    const done = (failure) => {
      clearTimeout(timer);
      socket.destroy();
      if (failure) reject(failure);
      else resolve();
    };
    socket.once('connect', () => {
      connected = true;
      if (!secure) done();
    });
    socket.once('secureConnect', () => done());
    socket.once('error', (error) => done({ stage: secure && connected ? 'tls' : 'tcp', detail: error.code ?? error.message, message: error.message }));
  });
}

/**
 * Checks one endpoint within `timeoutMs`: DNS lookup, TCP connect, TLS handshake (https/wss). Resolves undefined
 * when it answers, else a message naming the host, the failing step and what to check.
 */
export async function checkEndpoint({ venue, key, url }, timeoutMs = 4000) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return `${venue}: ${key} = ${url} is not a valid URL`;
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || DEFAULT_PORTS[parsed.protocol] || 443);
  const secure = parsed.protocol === 'https:' || parsed.protocol === 'wss:';
  const where = `${host}:${port} (${venue}, ${key} = ${url})`;
  let address;
  try {
    ({ address } = await withTimeout(lookup(host), timeoutMs, () => ({ code: `no answer within ${timeoutMs} ms` })));
  } catch (error) {
    return `cannot resolve ${where}: DNS ${error.code ?? error.message}. Check this machine's internet access and DNS (/etc/resolv.conf), or the host name in ${key}.`;
  }
  const via = address === host ? '' : ` at ${address}`;
  try {
    await openConnection(host, address, port, secure, timeoutMs);
  } catch (f) {
    if (f.stage === 'tls') return `TLS handshake with ${where} failed: ${f.message}. Check for a TLS-intercepting proxy (its CA) and the system clock.`;
    if (f.stage === 'tls-timeout') return `TLS handshake with ${where} did not finish within ${timeoutMs} ms. Check for a proxy or firewall in the way.`;
    if (f.stage === 'timeout') return `no connection to ${where}${via} within ${timeoutMs} ms. Check outbound firewall rules or the proxy for port ${port}.`;
    return `cannot connect to ${where}${via}: ${f.detail}. Check outbound firewall rules, a required proxy, or the URL in ${key}.`;
  }
  return undefined;
}

/** Checks every endpoint in parallel; one message per unreachable one (the same host:port is checked once). */
export async function unreachableEndpoints(endpoints, timeoutMs = 4000) {
  const seen = new Set();
  const unique = endpoints.filter((e) => {
    let id;
    try {
      const u = new URL(e.url);
      id = `${u.protocol}//${u.host}`;
    } catch {
      id = e.url;
    }
    return !seen.has(id) && seen.add(id);
  });
  const results = await Promise.all(unique.map((e) => checkEndpoint(e, timeoutMs)));
  return results.filter((r) => r !== undefined);
}
