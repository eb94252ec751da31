/**
 * nats.js ignores credentials written in a server URL (`nats://user:pass@host:4222`), so they are taken out of the
 * URLs here and passed as the client's `user`/`pass` options. Every URL must carry the same credentials (or none).
 */
export function splitServerCredentials(urls: readonly string[]): { servers: string[]; user?: string; pass?: string } {
  let creds: { user: string; pass: string } | undefined;
  const servers = urls.map((raw) => {
    const m = /^([a-z]+:\/\/)([^@/]*)@(.*)$/i.exec(raw);
    if (m === null) return raw;
    const [user = '', pass = ''] = (m[2] ?? '').split(':', 2).map((s) => decodeURIComponent(s));
    if (creds !== undefined && (creds.user !== user || creds.pass !== pass)) {
      throw new Error('all NATS server URLs must carry the same credentials');
    }
    creds = { user, pass };
    return `${m[1]}${m[3]}`;
  });
  return creds === undefined ? { servers } : { servers, user: creds.user, pass: creds.pass };
}
