import { Value } from '@sinclair/typebox/value';
import { WindowsDoc, type WindowDoc } from '../src/world/windows-doc';
import { getJson } from './helpers';

export type { WindowDoc };

/** GET /control/windows with `query`, checked against the published schema (throws on a mismatch). */
export async function getWindows(control: string, query = ''): Promise<WindowsDoc> {
  const r = await getJson<unknown>(`${control}/control/windows${query ? `?${query}` : ''}`);
  if (r.status !== 200) throw new Error(`control/windows ${r.status}: ${JSON.stringify(r.body)}`);
  if (!Value.Check(WindowsDoc, r.body)) {
    const e = Value.Errors(WindowsDoc, r.body).First();
    throw new Error(`control/windows does not match its schema: ${e?.path} ${e?.message}`);
  }
  return r.body;
}
