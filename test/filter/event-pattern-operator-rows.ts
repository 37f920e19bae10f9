import { EC2_EVENT, type Row } from './event-pattern-rows';

/** One field `f` holding `value`, against a pattern on `f`. */
const on = (why: string, test: unknown, value: unknown, matches: boolean): Row => ({
  why,
  pattern: { f: [test] },
  event: value === undefined ? {} : { f: value },
  matches,
});

const prefixAndSuffix: Row[] = [
  {
    why: '[EB] prefix: "time" starting with 2017-10-02',
    pattern: { time: [{ prefix: '2017-10-02' }] },
    event: EC2_EVENT,
    matches: true,
  },
  on('[EB] prefix: another day', { prefix: '2017-10-03' }, '2017-10-02T16:24:49Z', false),
  on('[RU] prefix only works on strings', { prefix: '12' }, 12345, false),
  on('[EB] begins with: Region is in the US', { prefix: 'us-' }, 'us-east-1', true),
  on('[EB] begins with is case-sensitive', { prefix: 'eventb' }, 'EventBridge', false),
  on('[RU*] an empty prefix matches any string', { prefix: '' }, 'anything', true),
  on(
    '[EB] prefix equals-ignore-case: "EventB" and "eventbridge"',
    { prefix: { 'equals-ignore-case': 'EventB' } },
    'eventbridge',
    true,
  ),
  on(
    '[EB] prefix equals-ignore-case: "EventB" and "EVENTBRIDGE"',
    { prefix: { 'equals-ignore-case': 'EventB' } },
    'EVENTBRIDGE',
    true,
  ),
  on(
    '[EB] prefix equals-ignore-case: another start',
    { prefix: { 'equals-ignore-case': 'EventB' } },
    'sns',
    false,
  ),
  {
    why: '[RU] suffix: source ending in ec2',
    pattern: { source: [{ suffix: 'ec2' }] },
    event: EC2_EVENT,
    matches: true,
  },
  on('[EB] ends with: FileName with a .png extension', { suffix: '.png' }, 'image.png', true),
  on('[EB] ends with is case-sensitive', { suffix: '.png' }, 'image.PNG', false),
  on('[EB] suffix equals-ignore-case: .PNG', { suffix: { 'equals-ignore-case': '.png' } }, 'image.PNG', true),
  on(
    '[EB] suffix equals-ignore-case: another extension',
    { suffix: { 'equals-ignore-case': '.png' } },
    'image.jpg',
    false,
  ),
  on('[RU] suffix only works on strings', { suffix: '5' }, 12345, false),
  on('[EB] suffix against an array matches any element', { suffix: '.png' }, ['a.txt', 'b.png'], true),
];

const ignoreCaseAndWildcard: Row[] = [
  on('[EB] equals-ignore-case: Name is "Alice"', { 'equals-ignore-case': 'alice' }, 'Alice', true),
  on('[EB] equals-ignore-case: another name', { 'equals-ignore-case': 'alice' }, 'Alicia', false),
  on('[RU] equals-ignore-case only works on strings', { 'equals-ignore-case': '5' }, 5, false),
  ...[
    { event: { a: 'ABC', b: 'defx', c: 'xYz', d: 'rst' }, matches: false },
    { event: { a: 'ABC', c: 'xYz', d: 'rst' }, matches: false },
    { event: { a: 'ABC', b: 'xYz', c: 'def', d: 'rst' }, matches: false },
    { event: { a: 'ABC', b: 'def', c: 'xYz', d: 'rst' }, matches: true },
  ].map(({ event, matches }, i) => ({
    why: `[RU] RulerTest equals-ignore-case rules, event ${i + 1}`,
    pattern: {
      a: [{ 'equals-ignore-case': 'aBc' }],
      b: [{ 'equals-ignore-case': 'Def' }],
      c: [{ 'equals-ignore-case': 'xyZ' }],
    },
    event,
    matches,
  })),
  ...[
    { event: { a: 'abcbc', b: 'deeeefx', c: 'xy', d: 'xyzzz' }, matches: false },
    { event: { a: 'abcbc', b: 'deeeef', d: 'xyzzz' }, matches: false },
    { event: { a: 'abcbc', b: 'xy', c: 'deeeef', d: 'xyzzz' }, matches: false },
    { event: { a: 'abcbc', b: 'deeeef', c: 'xy', d: 'xyzzz' }, matches: true },
  ].map(({ event, matches }, i) => ({
    why: `[RU] RulerTest wildcard rules, event ${i + 1}`,
    pattern: {
      a: [{ wildcard: '*bc' }],
      b: [{ wildcard: 'd*f' }],
      c: [{ wildcard: 'xy*' }],
      d: [{ wildcard: 'xy*' }],
    },
    event,
    matches,
  })),
  on('[RU] wildcard: Simple*Service', { wildcard: 'Simple*Service' }, 'SimpleNotificationService', true),
  on('[RU] wildcard: * also matches nothing', { wildcard: 'Simple*Service' }, 'SimpleService', true),
  on('[RU] wildcard is case-sensitive', { wildcard: 'Simple*Service' }, 'simpleService', false),
  on('[RU] wildcard: a lone * matches the empty string', { wildcard: '*' }, '', true),
  on('[RU] wildcard: \\* is a literal asterisk', { wildcard: 'a\\*b' }, 'a*b', true),
  on('[RU] wildcard: \\* does not match other characters', { wildcard: 'a\\*b' }, 'axxb', false),
  on('[RU] wildcard: \\\\ is a literal backslash', { wildcard: 'a\\\\b' }, 'a\\b', true),
  on('[RU] wildcard: other characters are literal', { wildcard: 'file.(1)*' }, 'file.(1)x', true),
  on('[RU] wildcard: a dot is not any character', { wildcard: 'file.(1)*' }, 'fileX(1)x', false),
  on('[RU] wildcard only works on strings', { wildcard: '1*' }, 12, false),
];

const anythingBut: Row[] = [
  on(
    '[EB] anything-but: State is any value besides "initializing"',
    { 'anything-but': 'initializing' },
    'running',
    true,
  ),
  on('[EB] anything-but: the excluded value', { 'anything-but': 'initializing' }, 'initializing', false),
  on('[EB] anything-but a number', { 'anything-but': 123 }, 301.8, true),
  on('[EB] anything-but a number: that number', { 'anything-but': 123 }, 123, false),
  on('[EB] anything-but a list of strings', { 'anything-but': ['stopped', 'overloaded'] }, 'running', true),
  on(
    '[EB] anything-but a list of strings: one of them',
    { 'anything-but': ['stopped', 'overloaded'] },
    'stopped',
    false,
  ),
  on('[EB] anything-but a list of numbers', { 'anything-but': [100, 200, 300] }, 150, true),
  on('[EB] anything-but a list of numbers: one of them', { 'anything-but': [100, 200, 300] }, 100, false),
  on('[EB] anything-but prefix: without the prefix', { 'anything-but': { prefix: 'init' } }, 'running', true),
  on(
    '[EB] anything-but prefix: with the prefix',
    { 'anything-but': { prefix: 'init' } },
    'initializing',
    false,
  ),
  on('[EB] anything-but suffix: another extension', { 'anything-but': { suffix: '.png' } }, 'a.jpg', true),
  on('[EB] anything-but suffix: with the suffix', { 'anything-but': { suffix: '.png' } }, 'a.png', false),
  on(
    '[EB] anything-but ignore case: any casing is excluded',
    { 'anything-but': { 'equals-ignore-case': 'initializing' } },
    'INITIALIZING',
    false,
  ),
  on(
    '[EB] anything-but ignore case: another value',
    { 'anything-but': { 'equals-ignore-case': 'initializing' } },
    'running',
    true,
  ),
  on(
    '[EB] anything-but wildcard: a path under /lib/',
    { 'anything-but': { wildcard: '*/lib/*' } },
    '/usr/lib/x',
    false,
  ),
  on(
    '[EB] anything-but wildcard: another path',
    { 'anything-but': { wildcard: '*/lib/*' } },
    '/usr/bin/x',
    true,
  ),
  on(
    '[RU] anything-but a list of prefixes',
    { 'anything-but': { prefix: ['us-', 'eu-'] } },
    'ap-south-1',
    true,
  ),
  on(
    '[RU] anything-but a list of prefixes: one of them',
    { 'anything-but': { prefix: ['us-', 'eu-'] } },
    'eu-west-1',
    false,
  ),
  on('[RU*] anything-but never matches a missing field', { 'anything-but': 'x' }, undefined, false),
  on(
    '[SNS] anything-but against an array: one element is not excluded',
    { 'anything-but': [100, 500] },
    [100, 50],
    true,
  ),
  on(
    '[SNS] anything-but against an array: every element is excluded',
    { 'anything-but': [100, 500] },
    [100, 500],
    false,
  ),
  on('[SNS] anything-but: 100.1 is not 100', { 'anything-but': [100, 500] }, 100.1, true),
  on(
    '[RU] anything-but a list of numbers does not exclude the string "444"',
    { 'anything-but': [111, 222, 333] },
    '444',
    true,
  ),
  on('[RU*] anything-but prefix does not exclude a number', { 'anything-but': { prefix: '1' } }, 123, true),
  ...[
    { event: { a: 'child1', b: '444', c: 'child1', d: 123, w: 'xaz', z: 0.001 }, matches: true },
    { event: { a: 'dad789', b: 789, c: 'zdd', d: 123, w: 'xaz', z: 0.001 }, matches: false },
    { event: { a: 'dad789', b: 789, c: 'child1', d: 123, w: 'xaz', z: 1.01 }, matches: false },
    { event: { a: 'dad1', b: 345, c: 'child1', d: 123, w: 'xaz', z: 0.001 }, matches: false },
    { event: { a: 'abc', b: 111, c: 'child1', d: 123, w: 'xaz', z: 0.001 }, matches: false },
    { event: { a: 'abc', b: 0, c: 'child1', d: 444, w: 'xaz', z: 0.999999 }, matches: false },
    { event: { a: 'child1', b: '444', c: 'child1', d: 123, w: 'zaxonie', z: 0.001 }, matches: false },
  ].map(({ event, matches }, i) => ({
    why: `[RU] RulerTest anything-but rules, event ${i + 1}`,
    pattern: {
      a: [{ 'anything-but': ['dad0', 'dad1', 'dad2'] }],
      b: [{ 'anything-but': [111, 222, 333] }],
      c: [{ 'anything-but': 'zdd' }],
      d: [{ 'anything-but': 444 }],
      z: [{ numeric: ['>', 0, '<', 1] }],
      w: [{ 'anything-but': { prefix: 'zax' } }],
    },
    event,
    matches,
  })),
];

export const OPERATOR_ROWS: Row[] = [...prefixAndSuffix, ...ignoreCaseAndWildcard, ...anythingBut];
