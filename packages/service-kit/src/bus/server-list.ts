/**
 * The NATS servers named by a config value: one URL, several separated by commas (`nats://n1:4222,nats://n2:4222`:
 * every server of a cluster, the form `nats.url` / `ARB__NATS__URL` take), or an array of either. Blanks are ignored;
 * at least one URL is required.
 */
export function natsServerList(url: string | readonly string[]): string[] {
  const list = (typeof url === 'string' ? [url] : url)
    .flatMap((u) => u.split(','))
    .map((u) => u.trim())
    .filter((u) => u !== '');
  if (list.length === 0) throw new Error('no NATS server URL given');
  return list;
}
