import { ConfigReader } from './reader';
import { isObject } from './values';

export const RECURSIVE_LOOP_SETTINGS = ['Allow', 'Terminate'] as const;
export type RecursiveLoop = (typeof RECURSIVE_LOOP_SETTINGS)[number];

/**
 * A function's `RecursiveLoop`: `recursiveLoop` on the function (osls, serverless v4), else the
 * property of its `AWS::Lambda::Function` (`resources.Resources.<Name>LambdaFunction.Properties`, where
 * serverless v3 writes what it does not know), else `custom.emulate.functions.<key>.recursiveLoop`,
 * else Lambda's default, Terminate. Any case is read, as serverless v4 reads it.
 */
export function recursiveLoopOf(
  fn: ConfigReader,
  functionKey: string,
  logicalId: string,
  stack: Record<string, unknown>,
  emulated: { recursiveLoop?: string } | undefined,
): RecursiveLoop {
  const resource = stack[logicalId];
  const properties = new ConfigReader(
    `resources.Resources.${logicalId}.Properties`,
    isObject(resource) ? resource.Properties : undefined,
    `function "${functionKey}"`,
  );
  const custom = new ConfigReader(`custom.emulate.functions.${functionKey}`, emulated, 'custom.emulate');
  return (
    fn.oneOfIgnoringCase('recursiveLoop', RECURSIVE_LOOP_SETTINGS) ??
    properties.oneOfIgnoringCase('RecursiveLoop', RECURSIVE_LOOP_SETTINGS) ??
    custom.oneOfIgnoringCase('recursiveLoop', RECURSIVE_LOOP_SETTINGS) ??
    'Terminate'
  );
}
