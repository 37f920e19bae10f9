/** A failure that names a target that does not exist (SQS, SNS, Kinesis, Lambda and EventBridge's own names). */
const MISSING_RESOURCE = /NotFound|NonExistent|DoesNotExist/;

/**
 * The message attributes EventBridge sets on an event it sends to a target's dead-letter queue
 * (eb-rule-dlq): RULE_ARN, TARGET_ARN, ERROR_CODE and ERROR_MESSAGE. A target that does not exist is
 * NO_RESOURCE, as in AWS; any other failure the target answered is ERROR_FROM_TARGET.
 */
export function deadLetterAttributes(
  error: unknown,
  ruleArn: string,
  targetArn: string,
): Record<string, string> {
  const missing = error instanceof Error && MISSING_RESOURCE.test(error.name);
  return {
    RULE_ARN: ruleArn,
    TARGET_ARN: targetArn,
    ERROR_CODE: missing ? 'NO_RESOURCE' : 'ERROR_FROM_TARGET',
    ERROR_MESSAGE: error instanceof Error ? error.message : String(error),
  };
}
