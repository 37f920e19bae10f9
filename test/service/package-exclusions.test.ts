import { strict as assert } from 'node:assert';
import type { RawService } from '../../src/host';
import { excludeStateFromPackages } from '../../src/service/package-exclusions';

const SERVICE_DIR = '/srv/orders';

const service = (extra: Partial<RawService> = {}): RawService => ({
  service: 'orders',
  provider: { name: 'aws' },
  ...extra,
});

describe('service/package-exclusions', () => {
  it('ends the service patterns with the default state folder, moving a copy the user wrote', () => {
    const raw = service({ package: { patterns: ['!.emulate/**', '.emulate/**', '**'] } });
    excludeStateFromPackages(raw, SERVICE_DIR, undefined);
    assert.deepEqual(raw.package, { patterns: ['.emulate/**', '**', '!.emulate/**'] });
  });

  it("gives functions with their own patterns a second spelling (the framework's union drops repeats)", () => {
    const raw = service({
      functions: { own: { package: { patterns: ['.emulate/**'] } }, shared: { handler: 'h.h' } },
    });
    excludeStateFromPackages(raw, SERVICE_DIR, undefined);
    assert.deepEqual(raw.functions?.own.package, { patterns: ['.emulate/**', '!.emulate/**/*'] });
    assert.deepEqual(raw.functions?.shared, { handler: 'h.h' });
  });

  it('excludes custom.emulate.stateDir besides the default, and --state-dir over it', () => {
    const configured = service({ custom: { emulate: { stateDir: 'var/state' } } });
    excludeStateFromPackages(configured, SERVICE_DIR, undefined);
    assert.deepEqual(configured.package, { patterns: ['!.emulate/**', '!var/state/**'] });

    const option = service({ custom: { emulate: { stateDir: 'var/state' } } });
    excludeStateFromPackages(option, SERVICE_DIR, 'tmp/run');
    assert.deepEqual(option.package, { patterns: ['!.emulate/**', '!tmp/run/**'] });
  });

  it('leaves out a state folder outside the service, and excludes one inside a layer relative to it', () => {
    const raw = service({ layers: { deps: { path: 'layer' } } });
    excludeStateFromPackages(raw, SERVICE_DIR, '/tmp/state');
    assert.deepEqual(raw.package, { patterns: ['!.emulate/**'] });
    assert.deepEqual(raw.layers?.deps, { path: 'layer' });

    const inLayer = service({ layers: { deps: { path: 'layer' } } });
    excludeStateFromPackages(inLayer, SERVICE_DIR, 'layer/.state');
    assert.deepEqual(inLayer.layers?.deps, { path: 'layer', package: { patterns: ['!.state/**/*'] } });
  });
});
