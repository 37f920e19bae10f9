/** An error of the Lambda service itself (not of the function), with the Invoke API's status and code. */
export class LambdaServiceError extends Error {
  constructor(
    readonly code:
      | 'ResourceNotFoundException'
      | 'TooManyRequestsException'
      | 'RequestEntityTooLargeException'
      | 'RecursiveInvocationException'
      | 'InvalidRequestContentException'
      | 'InvalidParameterValueException'
      | 'ServiceException',
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

export const throttled = (functionName: string) =>
  new LambdaServiceError('TooManyRequestsException', 429, `Rate Exceeded. (function ${functionName})`);

/**
 * What Lambda answers for an invocation it stops as a recursive loop (API_Invoke: 400,
 * RecursiveInvocationException, "Lambda has detected your function being invoked in a recursive loop
 * with other AWS resources and stopped your function's invocation").
 */
export const recursiveInvocation = (functionName: string, chain: string) =>
  new LambdaServiceError(
    'RecursiveInvocationException',
    400,
    `Lambda has detected your function being invoked in a recursive loop with other AWS resources and stopped your function's invocation. (function ${functionName}: ${chain})`,
  );
