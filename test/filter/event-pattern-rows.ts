/**
 * Rows {why, pattern, event, matches} taken from AWS's own examples. Sources:
 * [EB] docs.aws.amazon.com/eventbridge/latest/userguide: eb-event-patterns-content-based-filtering,
 *      eb-create-pattern-operators, eb-event-patterns-null-values, eb-event-patterns-arrays,
 *      eb-create-pattern (awsdocs/amazon-eventbridge-user-guide doc_source/*.md)
 * [RU] github.com/aws/event-ruler README.md and src/test/.../RulerTest.java (EventBridge's rule engine)
 * [SNS] docs.aws.amazon.com/sns/latest/dg/numeric-value-matching.html
 * [RU*] inferred from the rule engine's source (JsonRuleCompiler, CIDR.java) rather than a documented example
 */
export interface Row {
  why: string;
  pattern: unknown;
  event: unknown;
  matches: boolean;
}

/** [RU] README's example event. */
export const EC2_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
  detail: {
    'c-count': 5,
    'd-count': 3,
    'x-limit': 301.8,
    'source-ip': '10.0.0.33',
    'instance-id': 'i-000000aaaaaa00000',
    state: 'running',
  },
};

/** [RU] RulerTest JSON_FROM_RFC. */
const IMAGE_EVENT = {
  Image: {
    Width: 800,
    Height: 600,
    Title: 'View from 15th Floor',
    Thumbnail: { Url: 'http://www.example.com/image/481989943', Height: 125, Width: 100 },
    Animated: false,
    IDs: [116, 943, 234, 38793],
  },
};

/** [RU] README "JSON Array Matching" and RulerTest JSON_WITH_COMPLEX_ARRAYS. */
const EMPLOYEES_EVENT = {
  employees: [
    [
      { firstName: 'John', lastName: 'Doe', ids: [1234, 1000, 9999] },
      { firstName: 'Anna', lastName: 'Smith' },
    ],
    [{ firstName: 'Peter', lastName: 'Jones', ids: [] }],
  ],
};

/** [EB] eb-event-patterns-null-values. */
const NULL_EVENT = {
  version: '0',
  id: '3e3c153a-8339-4e30-8c35-687ebef853fe',
  'detail-type': 'EC2 Instance Launch Successful',
  source: 'aws.autoscaling',
  account: '123456789012',
  time: '2015-11-11T21:31:47Z',
  region: 'us-east-1',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const exact: Row[] = [
  {
    why: '[RU] simple matching: every named field present with one of its values',
    pattern: {
      'detail-type': ['EC2 Instance State-change Notification'],
      resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
      detail: { state: ['initializing', 'running'] },
    },
    event: EC2_EVENT,
    matches: true,
  },
  {
    why: '[RU] a field whose value is none of the listed values',
    pattern: { detail: { state: ['initializing'] } },
    event: EC2_EVENT,
    matches: false,
  },
  {
    why: '[EB] eb-create-pattern: values in the array are ORed',
    pattern: { source: ['aws.ec2', 'aws.fargate'] },
    event: EC2_EVENT,
    matches: true,
  },
  {
    why: '[EB] eb-create-pattern: none of the values',
    pattern: { source: ['aws.fargate'] },
    event: EC2_EVENT,
    matches: false,
  },
  {
    why: '[EB] the event must contain every field the pattern names',
    pattern: { source: ['aws.ec2'], detail: { missing: ['x'] } },
    event: EC2_EVENT,
    matches: false,
  },
  {
    why: '[EB] fields must appear with the same nesting structure',
    pattern: { state: ['running'] },
    event: EC2_EVENT,
    matches: false,
  },
  {
    why: '[EB] fields the pattern does not name are ignored',
    pattern: { source: ['aws.ec2'] },
    event: EC2_EVENT,
    matches: true,
  },
  {
    why: '[EB] exact matching is case-sensitive',
    pattern: { source: ['AWS.EC2'] },
    event: EC2_EVENT,
    matches: false,
  },
  {
    why: '[RU] a number matches a JSON number',
    pattern: { detail: { 'c-count': [5] } },
    event: EC2_EVENT,
    matches: true,
  },
  {
    why: '[RU] a string in the pattern does not match a number in the event',
    pattern: { detail: { 'c-count': ['5'] } },
    event: EC2_EVENT,
    matches: false,
  },
  {
    why: '[RU] a number in the pattern does not match a string in the event',
    pattern: { x: [5] },
    event: { x: '5' },
    matches: false,
  },
  {
    why: '[RU] numbers compare as numbers (301.80 is 301.8)',
    pattern: JSON.parse('{"detail": {"x-limit": [301.80]}}'),
    event: EC2_EVENT,
    matches: true,
  },
  {
    why: '[RU] a boolean matches the JSON literal',
    pattern: { Image: { Animated: [false] } },
    event: IMAGE_EVENT,
    matches: true,
  },
  {
    why: '[RU] the other boolean does not',
    pattern: { Image: { Animated: [true] } },
    event: IMAGE_EVENT,
    matches: false,
  },
  {
    why: '[RU] the string "false" is not the literal false',
    pattern: { Image: { Animated: ['false'] } },
    event: IMAGE_EVENT,
    matches: false,
  },
  { why: '[RU] RulerTest really simple rules: 1 and 1', pattern: { a: [1] }, event: { a: 1 }, matches: true },
  {
    why: '[RU] RulerTest really simple rules: a number and true',
    pattern: { a: [1] },
    event: { x: true },
    matches: false,
  },
  {
    why: '[RU] RulerTest really simple rules: "X" and true',
    pattern: { x: ['X'] },
    event: { x: true },
    matches: false,
  },
  {
    why: '[RU] RulerTest various field combos: nested numbers with alternatives',
    pattern: { Image: { Width: [800], Thumbnail: { Height: [125, 300] } } },
    event: IMAGE_EVENT,
    matches: true,
  },
];

const nullAndEmpty: Row[] = [
  {
    why: '[EB] null values: [""] matches an empty string',
    pattern: { detail: { eventVersion: [''] } },
    event: NULL_EVENT,
    matches: true,
  },
  {
    why: '[EB] null values: [null] matches null',
    pattern: { detail: { responseElements: [null] } },
    event: NULL_EVENT,
    matches: true,
  },
  {
    why: '[EB] null values: null and "" are not interchangeable ([null] against "")',
    pattern: { detail: { eventVersion: [null] } },
    event: NULL_EVENT,
    matches: false,
  },
  {
    why: '[EB] null values: a pattern matching "" does not match null',
    pattern: { detail: { responseElements: [''] } },
    event: NULL_EVENT,
    matches: false,
  },
  {
    why: '[EB] [null] does not match a missing field',
    pattern: { detail: { missing: [null] } },
    event: NULL_EVENT,
    matches: false,
  },
  {
    why: '[EB] [""] does not match a missing field',
    pattern: { detail: { missing: [''] } },
    event: NULL_EVENT,
    matches: false,
  },
  {
    why: '[RU*] a field holding null exists',
    pattern: { detail: { responseElements: [{ exists: true }] } },
    event: NULL_EVENT,
    matches: true,
  },
  {
    why: '[RU*] exists:false does not match a field holding null',
    pattern: { detail: { responseElements: [{ exists: false }] } },
    event: NULL_EVENT,
    matches: false,
  },
];

const arrays: Row[] = [
  {
    why: '[EB] arrays: the pattern matches when the event array and the pattern array intersect',
    pattern: {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    event: {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    matches: true,
  },
  {
    why: '[EB] arrays: no common element',
    pattern: { resources: ['arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f'] },
    event: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    matches: false,
  },
  {
    why: '[RU] multi-level arrays are flattened',
    pattern: { tags: ['b'] },
    event: { tags: [['a'], ['b', 'c']] },
    matches: true,
  },
  {
    why: '[RU*] an empty event array has no value to match',
    pattern: { tags: [''] },
    event: { tags: [] },
    matches: false,
  },
  {
    why: '[RU*] an empty event array is no leaf, so exists:false matches',
    pattern: { tags: [{ exists: false }] },
    event: { tags: [] },
    matches: true,
  },
  {
    why: '[RU*] an empty event array is no leaf, so exists:true does not match',
    pattern: { tags: [{ exists: true }] },
    event: { tags: [] },
    matches: false,
  },
  {
    why: '[RU] array matching: objects inside arrays are matched as the parent field',
    pattern: { employees: { firstName: ['Anna'] } },
    event: EMPLOYEES_EVENT,
    matches: true,
  },
  {
    why: '[RU] array matching: two fields from different elements of the same array never match',
    pattern: { employees: { firstName: ['Anna'], lastName: ['Jones'] } },
    event: EMPLOYEES_EVENT,
    matches: false,
  },
  {
    why: '[RU] array matching: no element has the value',
    pattern: { employees: { firstName: ['Alice'] } },
    event: EMPLOYEES_EVENT,
    matches: false,
  },
  {
    why: '[RU] array matching: both fields in one element, one of them an array',
    pattern: { employees: { firstName: ['John'], ids: [1000] } },
    event: EMPLOYEES_EVENT,
    matches: true,
  },
  {
    why: '[RU] array matching: the ids belong to John, not Anna',
    pattern: { employees: { firstName: ['Anna'], ids: [1000] } },
    event: EMPLOYEES_EVENT,
    matches: false,
  },
  {
    why: '[RU] array matching: exists:false is decided per element (Anna has no ids)',
    pattern: { employees: { firstName: ['Anna'], ids: [{ exists: false }] } },
    event: EMPLOYEES_EVENT,
    matches: true,
  },
  {
    why: '[RU] array matching: exists:true is decided per element (Anna has no ids)',
    pattern: { employees: { firstName: ['Anna'], ids: [{ exists: true }] } },
    event: EMPLOYEES_EVENT,
    matches: false,
  },
  {
    why: '[RU] array matching: a leaf value never matches an array of objects',
    pattern: { employees: ['b'] },
    event: EMPLOYEES_EVENT,
    matches: false,
  },
  {
    why: '[RU] array matching: a field absent from the event',
    pattern: { a: ['b'] },
    event: EMPLOYEES_EVENT,
    matches: false,
  },
];

export const SIMPLE_ROWS: Row[] = [...exact, ...nullAndEmpty, ...arrays];
