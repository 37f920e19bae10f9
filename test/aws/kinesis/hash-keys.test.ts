import { strict as assert } from 'node:assert';
import { hashKeyOf, rangeHolding, shardRanges } from '../../../src/aws/kinesis/hash-keys';

const ranges = (count: number) =>
  shardRanges(count).map(({ start, end }) => [start.toString(), end.toString()]);

describe('aws/kinesis hash keys', () => {
  it('splits the 128-bit key space into the ranges AWS gives 4 equal shards', () => {
    assert.deepEqual(ranges(4), [
      ['0', '85070591730234615865843651857942052863'],
      ['85070591730234615865843651857942052864', '170141183460469231731687303715884105727'],
      ['170141183460469231731687303715884105728', '255211775190703847597530955573826158591'],
      ['255211775190703847597530955573826158592', '340282366920938463463374607431768211455'],
    ]);
  });

  it('gives the last of 3 shards the remainder, as AWS does', () => {
    assert.deepEqual(ranges(3), [
      ['0', '113427455640312821154458202477256070484'],
      ['113427455640312821154458202477256070485', '226854911280625642308916404954512140969'],
      ['226854911280625642308916404954512140970', '340282366920938463463374607431768211455'],
    ]);
    assert.deepEqual(ranges(1), [['0', '340282366920938463463374607431768211455']]);
  });

  it('hashes a partition key to MD5 read as an unsigned 128-bit integer', () => {
    // md5('b') = 92eb5ffee6ae2fec3ad71c777531578f
    assert.equal(hashKeyOf('b'), 0x92eb5ffee6ae2fec3ad71c777531578fn);
    assert.equal(hashKeyOf('user-42').toString(), '157107139746365290205026809710278036035');
  });

  it('puts a key in the shard whose range holds its hash', () => {
    const shards = shardRanges(4).map((range, index) => ({ range, index }));
    // md5 starts with 0x0c, 0x76, 0x92: in the first, second and third quarter of the key space.
    assert.equal(rangeHolding(shards, hashKeyOf('a')).index, 0);
    assert.equal(rangeHolding(shards, hashKeyOf('user-42')).index, 1);
    assert.equal(rangeHolding(shards, hashKeyOf('b')).index, 2);
    assert.equal(rangeHolding(shards, 0n).index, 0);
    assert.equal(rangeHolding(shards, 255211775190703847597530955573826158591n).index, 2);
    assert.equal(rangeHolding(shards, 255211775190703847597530955573826158592n).index, 3);
    assert.equal(rangeHolding(shards, (1n << 128n) - 1n).index, 3);
  });

  it('takes an ExplicitHashKey in [0, 2^128-1] instead of the hash, and refuses others', () => {
    assert.equal(hashKeyOf('a', '42'), 42n);
    assert.equal(hashKeyOf('a', '340282366920938463463374607431768211455'), (1n << 128n) - 1n);
    for (const bad of ['340282366920938463463374607431768211456', '-1', 'x', '']) {
      assert.throws(() => hashKeyOf('a', bad), { name: 'InvalidArgumentException' });
    }
  });
});
