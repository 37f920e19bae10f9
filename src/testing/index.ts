/**
 * serverless-emulate/testing: a service emulated inside a test's own process, driven with real clients,
 * with every invocation recorded and, optionally, virtual time.
 */
export { emulate, EmulatedService } from './emulate';
export type { ClientConfig, EmulateOptions, InvokeResult, WaitOptions } from './emulate';
export type { Invocation, InvocationFilter } from './recorder';
