import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProvidedSdk, withProvidedSdkHint } from '../../../src/runtime/node/provided-sdk';

describe("Node.js runtime: the SDK Lambda's runtime provides", () => {
  let dir: string;
  const installed = (root: string, name: string, version: string) => {
    const folder = path.join(dir, root, name);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ name, version }));
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'provided-sdk-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('links every @aws-sdk package for nodejs18.x on, the first copy found winning; aws-sdk v2 up to nodejs16.x', () => {
    installed('ours', '@aws-sdk/client-sqs', '3.1.0');
    installed('framework', '@aws-sdk/client-sqs', '3.0.0');
    installed('framework', '@aws-sdk/client-s3', '3.0.0');
    installed('framework', 'aws-sdk', '2.1.0');
    const sdk = new ProvidedSdk(path.join(dir, 'runtime'), [
      path.join(dir, 'ours'),
      path.join(dir, 'framework'),
    ]);
    const v3 = sdk.nodeModulesFor('nodejs20.x');
    assert.ok(v3);
    assert.equal(
      realpathSync(path.join(v3, '@aws-sdk', 'client-sqs')),
      path.join(dir, 'ours', '@aws-sdk', 'client-sqs'),
    );
    assert.equal(
      realpathSync(path.join(v3, '@aws-sdk', 'client-s3')),
      path.join(dir, 'framework', '@aws-sdk', 'client-s3'),
    );
    assert.equal(sdk.nodeModulesFor('nodejs22.x'), v3);
    const v2 = sdk.nodeModulesFor('nodejs16.x');
    assert.ok(v2);
    assert.equal(realpathSync(path.join(v2, 'aws-sdk')), path.join(dir, 'framework', 'aws-sdk'));
    assert.equal(sdk.nodeModulesFor('python3.12'), undefined);
  });

  it('adds what to do to a missing module message only for the SDK the runtime provides', () => {
    const missing = (name: string) => `Cannot find module '${name}'\nRequire stack:\n- /svc/handler.js`;
    assert.match(
      withProvidedSdkHint('nodejs20.x', missing('@aws-sdk/client-s3')),
      /\n@aws-sdk\/client-s3 is provided by the nodejs20\.x runtime on AWS, .*\(npm i -D @aws-sdk\/client-s3\)$/,
    );
    assert.match(
      withProvidedSdkHint('nodejs20.x', "Cannot find package '@aws-sdk/client-s3' imported from /svc/h.mjs"),
      /npm i -D @aws-sdk\/client-s3/,
    );
    assert.match(withProvidedSdkHint('nodejs16.x', missing('aws-sdk/clients/s3')), /npm i -D aws-sdk\)$/);
    for (const [runtime, name] of [
      ['nodejs20.x', 'aws-sdk'],
      ['nodejs16.x', '@aws-sdk/client-s3'],
      ['nodejs20.x', 'lodash'],
    ]) {
      assert.equal(withProvidedSdkHint(runtime, missing(name)), missing(name));
    }
  });
});
