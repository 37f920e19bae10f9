import { strict as assert } from 'node:assert';
import type { RawService } from '../../src/host';
import { readService } from '../../src/service/read-service';

const read = (raw: Partial<RawService>) =>
  readService(
    { service: 'svc', provider: { name: 'aws' }, ...raw },
    { stage: 'dev', region: 'us-east-1', serviceDir: '/srv/svc' },
  );

const layersOf = (raw: Partial<RawService>, key: string) => {
  const fn = read(raw).functions.find((f) => f.key === key);
  if (!fn) throw new Error(`no function ${key}`);
  return fn.layers;
};

const LAYERS = {
  shared: { path: 'layers/shared' },
  'py-tools': { name: 'python-tools', path: 'layers/py' },
  zipped: { package: { artifact: 'dist/zipped.zip' } },
};

describe('layers', () => {
  it('reads `layers:` with the folder Lambda mounts, the ARN name and the logical id the framework gives them', () => {
    assert.deepEqual(read({ layers: LAYERS, functions: {} }).layers, [
      {
        key: 'shared',
        name: 'shared',
        logicalId: 'SharedLambdaLayer',
        path: '/srv/svc/layers/shared',
        artifact: undefined,
      },
      {
        key: 'py-tools',
        name: 'python-tools',
        logicalId: 'PyDashtoolsLambdaLayer',
        path: '/srv/svc/layers/py',
        artifact: undefined,
      },
      {
        key: 'zipped',
        name: 'zipped',
        logicalId: 'ZippedLambdaLayer',
        path: undefined,
        artifact: 'dist/zipped.zip',
      },
    ]);
  });

  it("finds this service's layers by Ref and by ARN (by name, whatever the account), and tells other stacks' apart", () => {
    const uses = layersOf(
      {
        layers: LAYERS,
        functions: {
          api: {
            handler: 'h.h',
            layers: [
              { Ref: 'SharedLambdaLayer' },
              'arn:aws:lambda:us-east-1:123456789012:layer:python-tools:7',
              { 'Fn::Sub': 'arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:layer:shared:1' },
              'arn:aws:lambda:us-east-1:999999999999:layer:someone-elses:1',
              'arn:aws:lambda:eu-west-1:123456789012:layer:shared:1',
              { 'Fn::ImportValue': 'other-stack-layer' },
            ],
          },
        },
      },
      'api',
    );
    assert.deepEqual(
      uses.map((use) => use.layer),
      ['shared', 'py-tools', 'shared', undefined, undefined, undefined],
    );
    assert.equal(uses[0].text, '!Ref SharedLambdaLayer');
    assert.equal(uses[3].text, 'arn:aws:lambda:us-east-1:999999999999:layer:someone-elses:1');
  });

  it("gives a function the provider's layers unless it has its own (never both, as the framework compiles them)", () => {
    const raw = {
      layers: LAYERS,
      provider: { name: 'aws', layers: [{ Ref: 'SharedLambdaLayer' }] },
      functions: {
        inherits: { handler: 'h.h' },
        own: { handler: 'h.h', layers: [{ Ref: 'PyDashtoolsLambdaLayer' }] },
        none: { handler: 'h.h', layers: [] },
      },
    };
    assert.deepEqual(
      layersOf(raw, 'inherits').map((u) => u.layer),
      ['shared'],
    );
    assert.deepEqual(
      layersOf(raw, 'own').map((u) => u.layer),
      ['py-tools'],
    );
    assert.deepEqual(layersOf(raw, 'none'), []);
  });

  it('refuses a layer entry that is neither an ARN nor an intrinsic, naming the function and the key', () => {
    assert.throws(
      () => read({ functions: { api: { handler: 'h.h', layers: [42] } } }),
      /function "api": functions\.api\.layers\.0 must be a layer version ARN or a Ref, got 42/,
    );
    assert.throws(
      () =>
        read({
          provider: { name: 'aws', layers: 'arn:aws:lambda:us-east-1:1:layer:x:1' },
          functions: { api: { handler: 'h.h' } },
        }),
      /provider\.layers must be a list/,
    );
    assert.throws(
      () => read({ layers: { shared: 'layers/shared' }, functions: {} }),
      /layers\.shared must be an object/,
    );
  });
});
