/** An error of the Lambda service itself (not of the function), with the Invoke API's status and code. */
export class LambdaServiceError extends Error {
  constructor(
    readonly code:
      | 'ResourceNotFoundException'
      | 'TooManyRequestsException'
      | 'RequestEntityTooLargeException'
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
