import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '..', '..', 'src');

// docs/ARCHITECTURE.md's layers, top to bottom: a file may import from its own layer and those below.
const LAYERS = [
  ['plugin', 'testing'],
  ['emulator'],
  ['live'],
  ['report'],
  ['push'],
  ['aws'],
  ['pull'],
  ['lambda'],
  ['runtime'],
  ['classify'],
  ['service'],
  ['filter'],
  ['state'],
  ['errors', 'host', 'clock', 'listen', 'plural', 'request-guard', 'bounded-map'],
];

const rankOf = (file: string) => {
  const top = path.relative(SRC, file).split(path.sep)[0].replace(/\.ts$/, '');
  const rank = LAYERS.findIndex((names) => names.includes(top));
  assert.notEqual(rank, -1, `${top} is in no layer: add it to LAYERS and to docs/ARCHITECTURE.md`);
  return rank;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('layers', () => {
  it('no file imports from a layer above its own', () => {
    const upward: string[] = [];
    for (const file of sources(SRC)) {
      for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(file), spec);
        if (rankOf(target) < rankOf(file)) upward.push(`${path.relative(SRC, file)} -> ${spec}`);
      }
    }
    assert.deepEqual(upward, []);
  });
});
