import { EC2_EVENT, type Row } from './event-pattern-rows';

const on = (why: string, test: unknown, value: unknown, matches: boolean): Row => ({
  why,
  pattern: { f: [test] },
  event: value === undefined ? {} : { f: value },
  matches,
});

const IMAGE_EVENT = {
  Image: {
    Width: 800,
    Height: 600,
    Title: 'View from 15th Floor',
    Thumbnail: { Url: 'http://www.example.com/image/481989943', Height: 125, Width: 100 },
    Animated: false,
  },
};
const image = (why: string, pattern: object, matches: boolean): Row => ({
  why: `[RU] RulerTest various field combos: ${why}`,
  pattern: { Image: pattern },
  event: IMAGE_EVENT,
  matches,
});

const numeric: Row[] = [
  {
    why: '[EB] numeric: c-count in (0, 5], d-count under 10, x-limit equal to 3.018e2',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    event: EC2_EVENT,
    matches: true,
  },
  on('[EB] numeric: the bottom of (0, 5] is open', { numeric: ['>', 0, '<=', 5] }, 0, false),
  on('[EB] numeric: the top of (0, 5] is closed', { numeric: ['>', 0, '<=', 5] }, 5, true),
  on('[EB] numeric: above the range', { numeric: ['>', 0, '<=', 5] }, 6, false),
  on('[EB] numeric matching only works with JSON numbers', { numeric: ['>', 0] }, '5', false),
  on('[SNS] numeric equals: 3.015e2 is 301.5', { numeric: ['=', 301.5] }, 3.015e2, true),
  on('[SNS] numeric < 0 matches a negative number', { numeric: ['<', 0] }, -0.5, true),
  on('[SNS] numeric (0, 150]: 150', { numeric: ['>', 0, '<=', 150] }, 150, true),
  on('[SNS] numeric (0, 150]: 151', { numeric: ['>', 0, '<=', 150] }, 151, false),
  on('[RU] numeric >= against an array: any element in range', { numeric: ['>=', 0] }, [-1, 3], true),
  on('[RU] numeric [99.999, 100]', { numeric: ['>=', 99.999, '<=', 100] }, 100, true),
  on('[RU*] numeric does not match a missing field', { numeric: ['>=', 0] }, undefined, false),
  image(
    'every operator on one event',
    {
      Width: [{ numeric: ['<', 1000] }],
      Height: [{ numeric: ['<=', 600] }],
      Title: [{ 'anything-but': 'View from 15th Flood' }],
      Thumbnail: {
        Url: [{ prefix: 'http' }],
        Height: [{ numeric: ['>', 124, '<', 126] }],
        Width: [{ numeric: ['>=', 99.999, '<=', 100] }],
      },
      Animated: [false],
    },
    true,
  ),
  image('Width < 800', { Width: [{ numeric: ['<', 800] }] }, false),
  image('Height < 599', { Height: [{ numeric: ['<', 599] }] }, false),
  image('Title is anything but itself', { Title: [{ 'anything-but': 'View from 15th Floor' }] }, false),
  image('Url prefix https', { Thumbnail: { Url: [{ prefix: 'https' }] } }, false),
  image('Height in (124, 125)', { Thumbnail: { Height: [{ numeric: ['>', 124, '<', 125] }] } }, false),
  image(
    'Width in [100.00001, 1001]',
    { Thumbnail: { Width: [{ numeric: ['>=', 100.00001, '<=', 1001] }] } },
    false,
  ),
  image('a prefix on an object', { Thumbnail: [{ prefix: 'http' }] }, false),
];

const cidr: Row[] = [
  on('[EB] cidr 10.0.0.0/24: the last address', { cidr: '10.0.0.0/24' }, '10.0.0.255', true),
  on('[EB] cidr 10.0.0.0/24: the next block', { cidr: '10.0.0.0/24' }, '10.0.1.0', false),
  {
    why: '[RU] cidr 10.0.0.0/8 on the README event',
    pattern: { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } },
    event: EC2_EVENT,
    matches: true,
  },
  on('[RU] cidr does not match a string that is no address', { cidr: '10.0.0.0/8' }, 'not-an-ip', false),
  on('[RU] cidr does not match a number', { cidr: '10.0.0.0/8' }, 10, false),
  on('[RU] cidr IPv6: inside 2001:db8::/32', { cidr: '2001:db8::/32' }, '2001:db8:1234::1', true),
  on('[RU] cidr IPv6: outside 2001:db8::/32', { cidr: '2001:db8::/32' }, '2001:db9::1', false),
  on('[RU] cidr IPv6 does not match an IPv4 address', { cidr: '::/0' }, '10.0.0.1', false),
  on('[RU*] cidr masks the host bits it was given', { cidr: '10.0.0.5/24' }, '10.0.0.1', true),
  on(
    '[RU*] an exact IPv6 address matches another spelling of it',
    '2001:db8::1',
    '2001:DB8:0:0:0:0:0:1',
    true,
  ),
];

const DETAIL_C_COUNT_ABSENT = { detail: { 'c-count': [{ exists: false }] } };
const exists: Row[] = [
  {
    why: '[EB] exists:true matches an event with detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: { version: '0', source: 'aws.ec2', detail: { 'instance-id': 'i-abcd1111', state: 'pending' } },
    matches: true,
  },
  {
    why: '[EB] exists:true does not match an event without detail.state',
    pattern: { detail: { state: [{ exists: true }] } },
    event: { detail: { 'c-count': { c1: 100 } } },
    matches: false,
  },
  {
    why: '[EB] exists:false matches an event without detail.c-count',
    pattern: DETAIL_C_COUNT_ABSENT,
    event: { detail: { state: ['initializing', 'running'] } },
    matches: true,
  },
  {
    why: '[EB] exists only works on leaf nodes: an object at detail.c-count counts as absent',
    pattern: DETAIL_C_COUNT_ABSENT,
    event: { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } },
    matches: true,
  },
  {
    why: '[RU*] exists:false matches when the parent is missing too',
    pattern: DETAIL_C_COUNT_ABSENT,
    event: {},
    matches: true,
  },
  {
    why: '[RU] exists:false with the field present',
    pattern: DETAIL_C_COUNT_ABSENT,
    event: EC2_EVENT,
    matches: false,
  },
  ...[
    ['a', true, { a: 1 }, true],
    ['b', false, { a: 1 }, true],
    ['x', true, { a: 1 }, false],
    ['x', false, { a: 1 }, true],
    ['a', true, { b: 2 }, false],
    ['b', false, { b: 2 }, false],
    ['x', false, { b: 2 }, true],
    ['a', true, { x: 'X' }, false],
    ['b', false, { x: 'X' }, true],
    ['x', true, { x: 'X' }, true],
    ['x', false, { x: 'X' }, false],
  ].map(([field, present, event, matches]) => ({
    why: `[RU] RulerTest exists rules: ${String(field)} exists:${String(present)} on ${JSON.stringify(event)}`,
    pattern: { [field as string]: [{ exists: present }] },
    event,
    matches: matches as boolean,
  })),
  {
    why: '[RU*] a value or exists:false, ORed, on a missing field',
    pattern: { f: ['other', { exists: false }] },
    event: {},
    matches: true,
  },
];

const NORMAL_OR = {
  source: ['aws.cloudwatch'],
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
};
const PARALLEL_OR = {
  $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
  detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
};
const AND_INSIDE_OR = {
  source: ['aws.cloudwatch'],
  $or: [
    { metricName: ['CPUUtilization', 'ReadLatency'] },
    { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
    { scope: ['Service'] },
  ],
};
const NESTED_OR = {
  source: ['aws.cloudwatch'],
  $or: [
    { metricName: ['CPUUtilization', 'ReadLatency'] },
    {
      metricType: ['MetricType'],
      namespace: ['AWS/EC2', 'AWS/ES'],
      $or: [{ metricId: [1234] }, { spaceId: [1000] }],
    },
    { scope: ['Service'] },
  ],
};
const or = (why: string, pattern: object, event: object, matches: boolean): Row => ({
  why: `[RU] $or ${why}`,
  pattern,
  event,
  matches,
});
const CW = { source: 'aws.cloudwatch' };
const NESTED = { ...CW, metricType: 'MetricType', namespace: 'AWS/EC2' };

const ors: Row[] = [
  or('normal: the first alternative', NORMAL_OR, { ...CW, metricName: 'CPUUtilization' }, true),
  or('normal: the second alternative', NORMAL_OR, { ...CW, namespace: 'AWS/ES' }, true),
  or('normal: neither alternative', NORMAL_OR, { ...CW, metricName: 'Other' }, false),
  or(
    'normal: an alternative but not the ANDed field',
    NORMAL_OR,
    { source: 'aws.ec2', metricName: 'ReadLatency' },
    false,
  ),
  or(
    'parallel: one of each group',
    PARALLEL_OR,
    { metricName: 'ReadLatency', detail: { source: 'aws.cloudwatch' } },
    true,
  ),
  or(
    'parallel: the second group fails',
    PARALLEL_OR,
    { metricName: 'ReadLatency', detail: { source: 'aws.ec2' } },
    false,
  ),
  or(
    'with an AND inside: both fields of the second alternative',
    AND_INSIDE_OR,
    { ...CW, metricType: 'MetricType', namespace: 'AWS/EC2' },
    true,
  ),
  or(
    'with an AND inside: half of the second alternative',
    AND_INSIDE_OR,
    { ...CW, metricType: 'MetricType' },
    false,
  ),
  or('with an AND inside: the third alternative', AND_INSIDE_OR, { ...CW, scope: 'Service' }, true),
  or('nested: the inner first alternative', NESTED_OR, { ...NESTED, metricId: 1234 }, true),
  or('nested: the inner second alternative', NESTED_OR, { ...NESTED, spaceId: 1000 }, true),
  or('nested: no inner alternative', NESTED_OR, { ...NESTED, spaceId: 999 }, false),
  or(
    'under detail, with numeric alternatives (JsonRuleCompiler example)',
    {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    { detail: { 'c-count': 9, 'd-count': 20, 'x-limit': 301.8 } },
    true,
  ),
  or(
    'under detail, no numeric alternative holds',
    {
      detail: {
        $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }],
      },
    },
    { detail: { 'c-count': 9, 'd-count': 20 } },
    false,
  ),
];

const combined: Row[] = [
  {
    why: '[EB][RU] complex example: prefix, anything-but, numeric and cidr together',
    pattern: {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    event: EC2_EVENT,
    matches: true,
  },
  {
    why: '[EB] a key given twice: only the last one counts (anything-but us-east accepts eu-west)',
    pattern: '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}',
    event: { detail: { location: 'eu-west' } },
    matches: true,
  },
  {
    why: '[EB] a key given twice: only the last one counts (us-east is excluded)',
    pattern: '{"detail": {"location": [{"prefix": "us-"}], "location": [{"anything-but": "us-east"}]}}',
    event: { detail: { location: 'us-east' } },
    matches: false,
  },
  {
    why: '[RU*] an event that is not an object has no fields',
    pattern: { a: ['x'] },
    event: 'x',
    matches: false,
  },
  {
    why: '[RU*] exists:false on an event that is not an object',
    pattern: { a: [{ exists: false }] },
    event: null,
    matches: true,
  },
];

export const LOGIC_ROWS: Row[] = [...numeric, ...cidr, ...exists, ...ors, ...combined];
