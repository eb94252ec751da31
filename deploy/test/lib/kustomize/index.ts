export { renderKustomization } from './build';
export { UnsupportedKustomizeFeatureError } from './kustomization';
export { contentHash } from './generators';
