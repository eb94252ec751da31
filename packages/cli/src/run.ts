import { hostname, userInfo } from 'node:os';
import {
  diffConfig,
  inboxPrefixOf,
  natsServerList,
  nowMs,
  provisionJetStream,
  redactUrlCredentials,
  replicatedSpec,
  RuntimeConfigConflictError,
  RuntimeConfigInvalidError,
  RuntimeConfigStore,
  RuntimeConfigUnavailableError,
  splitServerCredentials,
  type RuntimeConfigEntry,
} from '@arb/service-kit';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { HELP, parseCli, type GlobalOptions } from './args';
import { prepare, type Action } from './commands';
import { EXIT, InvalidInputError, UsageError } from './errors';
import { resolveNatsReplicas } from './nats-replicas';
import { resolveNatsUrl } from './nats-url';
import { printDiff, printError, printOutcome, printProvision, printShow, type CliIo } from './output';

export interface CliContext extends CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
}

const STAMPS = ['updatedTs', 'updatedBy'] as const;

/** Runs one arb-config command line; resolves with the exit code. Never throws. */
export async function runCli(argv: readonly string[], ctx: CliContext): Promise<number> {
  const json = argv.includes('--json');
  let options: GlobalOptions;
  let action: Action;
  let by: string;
  try {
    const parsed = parseCli(argv);
    options = parsed.options;
    if (parsed.command.kind === 'help') {
      ctx.out(HELP);
      return EXIT.ok;
    }
    by = options.by ?? defaultBy();
    if (by === '' || by.length > 128) throw new InvalidInputError(`--by must be 1..128 characters (got ${by.length})`);
    action = prepare(parsed.command, by, nowMs());
  } catch (err) {
    return fail(ctx, json, err);
  }
  const url = resolveNatsUrl(options.nats, ctx.env, ctx.cwd);
  let nc: NatsConnection;
  try {
    // nats.js ignores credentials in a URL: log in with them, replies under the user's private inbox prefix.
    const { servers, user, pass } = splitServerCredentials(natsServerList(url));
    const inboxPrefix = inboxPrefixOf(user);
    nc = await connect({
      servers,
      ...(user !== undefined ? { user, pass } : {}),
      ...(inboxPrefix !== undefined ? { inboxPrefix } : {}),
      name: 'arb-config',
      timeout: options.timeoutMs,
      reconnect: false,
    });
  } catch (err) {
    return fail(ctx, json, new Error(`cannot connect to NATS at ${redactUrlCredentials(url)}: ${(err as Error).message}`, { cause: err }));
  }
  try {
    if (action.kind === 'provision') {
      printProvision(ctx, options.json, await provisionJetStream(nc, replicatedSpec(resolveNatsReplicas(ctx.env, ctx.cwd))));
      return EXIT.ok;
    }
    const store = await RuntimeConfigStore.open(nc, { timeoutMs: options.timeoutMs });
    return await execute(store, action, options, by, ctx);
  } catch (err) {
    return fail(ctx, json, err);
  } finally {
    await nc.close().catch(() => undefined);
  }
}

async function execute(store: RuntimeConfigStore, action: Exclude<Action, { kind: 'provision' }>, o: GlobalOptions, by: string, ctx: CliContext): Promise<number> {
  switch (action.kind) {
    case 'show': {
      printShow(ctx, o.json, await store.get());
      return EXIT.ok;
    }
    case 'mutate': {
      const r = await store.update(action.mutate, { updatedBy: by, dryRun: o.dryRun });
      const outcome = { written: r.written, dryRun: o.dryRun, revision: r.revision, previousRevision: r.previousRevision };
      printOutcome(ctx, o.json, { command: action.command, ...outcome, changes: r.changes, config: r.config });
      return EXIT.ok;
    }
    case 'diff': {
      const cur = await currentOrBroken(store);
      printDiff(ctx, o.json, { revision: cur.revision, changes: diffConfig(cur.value, action.doc, STAMPS) });
      return EXIT.ok;
    }
    case 'apply': {
      const cur = await currentOrBroken(store);
      const changes = diffConfig(cur.value, action.doc, STAMPS);
      const expected = action.revision ?? cur.revision;
      const base = { command: 'apply', dryRun: o.dryRun, previousRevision: cur.revision, changes, config: action.doc };
      if (changes.length === 0 || o.dryRun) {
        printOutcome(ctx, o.json, { ...base, written: false, revision: cur.revision });
        return EXIT.ok;
      }
      const revision = await store.put(action.doc, { expectedRevision: expected });
      printOutcome(ctx, o.json, { ...base, written: true, revision, previousRevision: expected });
      return EXIT.ok;
    }
  }
}

/** The current document, or (when what is stored is invalid) the raw stored value and its revision, so it can be replaced. */
async function currentOrBroken(store: RuntimeConfigStore): Promise<{ value: unknown; revision: number }> {
  try {
    const cur: RuntimeConfigEntry = await store.get();
    return { value: cur.config, revision: cur.revision };
  } catch (err) {
    if (err instanceof RuntimeConfigInvalidError && err.revision > 0) return { value: err.value ?? {}, revision: err.revision };
    throw err;
  }
}

function fail(ctx: CliIo, json: boolean, err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof UsageError) {
    printError(ctx, json, EXIT.input, `${message} (see arb-config --help)`);
    return EXIT.input;
  }
  if (err instanceof InvalidInputError) {
    printError(ctx, json, EXIT.input, `${message}; nothing written`, { issues: err.issues });
    return EXIT.input;
  }
  if (err instanceof RuntimeConfigConflictError) {
    printError(ctx, json, EXIT.conflict, `${message}; nothing written`, { expectedRevision: err.expectedRevision, actualRevision: err.actualRevision });
    return EXIT.conflict;
  }
  if (err instanceof RuntimeConfigInvalidError) {
    const stored = err.revision > 0;
    const hint = stored ? '; services keep their last good config; replace it with `arb-config apply <file>`' : '; nothing written';
    printError(ctx, json, stored ? EXIT.failure : EXIT.input, `${message}${hint}`, { issues: err.issues, ...(stored ? { revision: err.revision, value: err.value } : {}) });
    return stored ? EXIT.failure : EXIT.input;
  }
  if (err instanceof RuntimeConfigUnavailableError) {
    printError(ctx, json, EXIT.failure, message);
    return EXIT.failure;
  }
  printError(ctx, json, EXIT.failure, redactUrlCredentials(message));
  return EXIT.failure;
}

function defaultBy(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (containers): keep 'unknown'
  }
  return `cli:${user}@${hostname()}`.slice(0, 128);
}
