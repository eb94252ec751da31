import { ContainerRuntimeError } from './errors';
import { dockerHints, runtimeSetting } from './runtime';

describe('runtimeSetting', () => {
  it('defaults to auto and accepts local/docker in any case', () => {
    expect(runtimeSetting({})).toBe('auto');
    expect(runtimeSetting({ ARB_TESTKIT_RUNTIME: '' })).toBe('auto');
    expect(runtimeSetting({ ARB_TESTKIT_RUNTIME: 'Local' })).toBe('local');
    expect(runtimeSetting({ ARB_TESTKIT_RUNTIME: ' docker ' })).toBe('docker');
    expect(runtimeSetting({ ARB_TESTKIT_RUNTIME: 'auto' })).toBe('auto');
  });

  it('rejects anything else', () => {
    expect(() => runtimeSetting({ ARB_TESTKIT_RUNTIME: 'podman' })).toThrow(ContainerRuntimeError);
  });
});

describe('dockerHints', () => {
  it('reports DOCKER_HOST when set', () => {
    expect(dockerHints({ DOCKER_HOST: 'tcp://127.0.0.1:2375' })).toContain('DOCKER_HOST=tcp://127.0.0.1:2375');
  });
});
