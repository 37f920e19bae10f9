import { strict as assert } from 'node:assert';
import { compilePattern } from '../../../src/filter/event-pattern';
import { sampleOfPattern } from '../../../src/push/samples/pattern-sample';

describe('push/samples pattern sample', () => {
  const cases: Array<[string, unknown, Record<string, unknown>]> = [
    [
      'the first literal of a list',
      { a: ['x', 'y'], b: [3, 4], c: [true], d: [null] },
      { a: 'x', b: 3, c: true, d: null },
    ],
    ['a literal before an operator', { a: [{ prefix: 'p' }, 'lit'] }, { a: 'lit' }],
    [
      'a prefix, also ignoring case',
      { a: [{ prefix: 'ab' }], b: [{ prefix: { 'equals-ignore-case': 'CD' } }] },
      { a: 'absample', b: 'CDsample' },
    ],
    ['a suffix', { a: [{ suffix: '.png' }] }, { a: 'sample.png' }],
    ['an exact number', { a: [{ numeric: ['=', 5] }] }, { a: 5 }],
    ['a number in a range', { a: [{ numeric: ['>=', 10, '<', 20] }] }, { a: 15 }],
    ['a number past a bound', { a: [{ numeric: ['<', 0] }] }, { a: -1 }],
    ['a string anything-but excludes', { a: [{ 'anything-but': 'sample' }] }, { a: 'other-sample' }],
    ['a number anything-but excludes', { a: [{ 'anything-but': [1, 2] }] }, { a: 3 }],
    ['a field that exists', { a: [{ exists: true }] }, { a: 'sample' }],
    ['no field for exists: false', { a: [{ exists: false }], b: ['x'] }, { b: 'x' }],
    ['an address in the range', { ip: [{ cidr: '192.168.0.0/16' }] }, { ip: '192.168.0.0' }],
    ['nested objects', { detail: { a: { b: ['c'] } } }, { detail: { a: { b: 'c' } } }],
    ['the first alternative of $or', { $or: [{ a: ['x'] }, { b: ['y'] }], c: ['z'] }, { a: 'x', c: 'z' }],
  ];

  for (const [name, pattern, expected] of cases) {
    it(`makes ${name}, which the pattern matches`, () => {
      const sample = sampleOfPattern(pattern);
      assert.deepEqual(sample, expected);
      assert.equal(compilePattern(pattern)(sample), true);
    });
  }

  it('reads a pattern given as JSON text', () => {
    assert.deepEqual(sampleOfPattern('{"source": ["a"]}'), { source: 'a' });
  });
});
