import { strict as assert } from 'node:assert';
import { BoundedMap } from '../src/bounded-map';

describe('BoundedMap', () => {
  it('keeps the latest keys set, forgetting the oldest first; setting a kept key again keeps its place', () => {
    const map = new BoundedMap<string, number>(3);
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
      ['a', 4],
      ['d', 5],
      ['e', 6],
    ] as const) {
      map.set(key, value);
    }
    assert.deepEqual(
      ['a', 'b', 'c', 'd', 'e'].map((key) => map.get(key)),
      [undefined, undefined, 3, 5, 6],
    );
  });
});
