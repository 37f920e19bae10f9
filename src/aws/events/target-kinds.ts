/** The kinds of rule target the emulator delivers to. */
export type TargetKind = 'lambda' | 'sqs' | 'sns' | 'kinesis' | 'event-bus';

const KINDS: [TargetKind, RegExp][] = [
  ['lambda', /^arn:aws[a-z-]*:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/],
  ['sqs', /^arn:aws[a-z-]*:sqs:[^:]*:[^:]*:[^:/]+$/],
  ['sns', /^arn:aws[a-z-]*:sns:[^:]*:[^:]*:[^:/]+$/],
  ['kinesis', /^arn:aws[a-z-]*:kinesis:[^:]*:[^:]*:stream\/[^/]+$/],
  ['event-bus', /^arn:aws[a-z-]*:events:[^:]*:[^:]*:event-bus\/.+$/],
];

/** The kind of target an ARN names, or undefined for one the emulator cannot serve. */
export function targetKindOf(arn: string): TargetKind | undefined {
  return KINDS.find(([, pattern]) => pattern.test(arn))?.[0];
}

/** Why a target is refused: the ARN names no Lambda function, SQS queue, SNS topic, Kinesis stream or bus. */
export function unsupportedTarget(arn: string): string {
  const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
  const what = service ? `a ${service} target` : 'a target that is not an ARN';
  return (
    `${what} (${arn}) is not emulated: serverless-emulate delivers to Lambda functions, SQS queues, ` +
    'SNS topics, Kinesis streams and event buses'
  );
}
