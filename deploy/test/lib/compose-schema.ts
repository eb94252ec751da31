import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { isObject } from './json';

/** Go duration strings as Compose reads them: `5s`, `1m30s`, `250ms`. */
const DURATION = /^[-+]?(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;
/** A published port: `[host_ip:][host_port[-range]:]container_port[-range][/protocol]`. */
const PORTS = /^((\[[0-9a-fA-F:]+\]|[0-9.]+):)?((\d+(-\d+)?)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/;
const EXPOSE = /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/;
const SUBNET = /^([0-9.]+|[0-9a-fA-F:]+)\/\d{1,3}$/;

/** Removes draft-04 style `id: "<string>"` annotations (Ajv refuses the keyword; they identify nothing used here). */
function dropIds(node: unknown): void {
  if (Array.isArray(node)) node.forEach(dropIds);
  else if (isObject(node)) {
    if (typeof node.id === 'string') delete node.id;
    Object.values(node).forEach(dropIds);
  }
}

/**
 * The validator of deploy/test/schemas/compose-spec.json (draft 2019-09) with the formats it names. Its `$schema`
 * is the http: form of the draft URL, which Ajv2019 registers as https:, so it is dropped before compiling, and so
 * are its draft-04 style `id` annotations.
 */
export function composeValidator(): ValidateFunction {
  const schema: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'schemas', 'compose-spec.json'), 'utf8'));
  if (!isObject(schema)) throw new Error('compose-spec.json is not a JSON object');
  delete schema.$schema;
  dropIds(schema);
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', DURATION);
  ajv.addFormat('ports', PORTS);
  ajv.addFormat('expose', EXPOSE);
  ajv.addFormat('subnet_ip_address', SUBNET);
  return ajv.compile(schema);
}

export function formatErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
