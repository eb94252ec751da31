import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { isObject } from './json';
import { idOf, type K8sObject } from './k8s-object';

type ModelClass = new (data: never) => { validate(): void };

/** The kinds the manifests may contain, by `apiVersion/kind`. A new kind must be added here to be validated. */
const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/**
 * Validates an object against the Kubernetes OpenAPI schema of its kind (kubernetes-models: types, required fields,
 * enums, formats such as quantities). Returns the problems (empty when valid).
 */
export function schemaProblems(o: K8sObject): string[] {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`];
  if (Model === undefined) return [`${idOf(o)}: no schema known for ${o.apiVersion} ${o.kind} (add it to deploy/test/lib/k8s-schemas.ts)`];
  const copy = structuredClone(o);
  // kustomize breaks long base64 Secret values into lines; the API server's decoder (Go encoding/json) ignores the
  // line breaks, the schema's "byte" format does not: validate what the server decodes.
  if (copy.kind === 'Secret' && isObject(copy.data)) {
    for (const [k, v] of Object.entries(copy.data)) if (typeof v === 'string') copy.data[k] = v.replace(/[\r\n]/g, '');
  }
  try {
    new Model(copy as never).validate();
    return [];
  } catch (err) {
    return [`${idOf(o)}: ${err instanceof Error ? err.message : String(err)}`];
  }
}
