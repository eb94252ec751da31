import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@arb/service-kit';
import { DetectorConfig } from '../../../services/detector/src/config';
import { FeedIngestorConfig } from '../../../services/feed-ingestor/src/config';
import { ownedSymbols } from '../../../services/feed-ingestor/src/shard';
import { ROOT, type ManifestWorkspace } from './render';

/** A container's environment as its process sees it (name → value). */
export type Env = Record<string, string>;

/** What one feed-ingestor replica serves, from its environment loaded as its main loads it. */
export interface FeedShard {
  readonly where: string;
  readonly venue: string;
  readonly symbols: readonly string[];
  /** The configured symbols (the universe the shards split). */
  readonly universe: readonly string[];
}

/** Where k8s mounts the arb-config ConfigMap (config/*.yaml byte for byte: k8s.test.ts). */
const K8S_CONFIG_DIR = '/etc/arb/config';

/**
 * loadConfig's options for a container's environment, with config/ of the repo as the config directory: the image's
 * /app/config (compose: cwd /app, so a relative ARB_CONFIG_FILE resolves from the repo root) or k8s's mount.
 */
function loadOptions(env: Env): { dir: string; cwd: string; env: Env } {
  const file = env.ARB_CONFIG_FILE;
  const mapped = file?.startsWith(`${K8S_CONFIG_DIR}/`) === true ? { ...env, ARB_CONFIG_FILE: join(ROOT, 'config', file.slice(K8S_CONFIG_DIR.length + 1)) } : env;
  return { dir: join(ROOT, 'config'), cwd: ROOT, env: mapped };
}

/** The feed-ingestor's config through its own schema (config/ of the repo, overridden by `env`) and its shard. */
export function feedShardOf(where: string, env: Env): FeedShard {
  const cfg = loadConfig(FeedIngestorConfig, loadOptions(env));
  const venue = env.VENUE ?? cfg.feed.venue ?? '';
  return { where, venue, symbols: ownedSymbols(cfg), universe: cfg.symbols };
}

/** The detector's partition settings through its own schema. */
export function detectorPartitionOf(env: Env): DetectorConfig['detector']['partition'] {
  return loadConfig(DetectorConfig, loadOptions(env)).detector.partition;
}

/**
 * What is wrong with a set of feed shards: per venue, a symbol served twice or not at all. [] when each venue's
 * shards are disjoint and together serve every configured symbol.
 */
export function shardProblems(shards: readonly FeedShard[]): string[] {
  const problems: string[] = [];
  const venues = new Set(shards.map((s) => s.venue));
  for (const venue of venues) {
    const of = shards.filter((s) => s.venue === venue);
    const seen = new Map<string, string>();
    for (const s of of) {
      for (const sym of s.symbols) {
        const other = seen.get(sym);
        if (other !== undefined) problems.push(`${venue}: ${sym} served by ${other} and ${s.where}`);
        seen.set(sym, s.where);
      }
    }
    for (const sym of of[0]?.universe ?? []) if (!seen.has(sym)) problems.push(`${venue}: ${sym} served by no shard`);
  }
  return problems;
}

/** Adds Components to an overlay of the workspace (`components:` as k8s/README.md shows) and returns its directory. */
export function withComponents(ws: ManifestWorkspace, overlay: string, components: readonly string[]): string {
  const dir = ws.overlay(overlay);
  const file = join(dir, 'kustomization.yaml');
  const text = readFileSync(file, 'utf8');
  if (/^components:/m.test(text)) throw new Error(`${file} already lists components`);
  writeFileSync(file, `${text.replace(/\n*$/, '\n')}\ncomponents:\n${components.map((c) => `  - ../../${c}\n`).join('')}`);
  return dir;
}
