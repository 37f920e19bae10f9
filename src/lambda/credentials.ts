import { createHash } from 'node:crypto';

/**
 * What a function sees as its credentials: placeholders shaped like the temporary ones Lambda gives a
 * function's role, never the developer's own. Each function gets its own access key id, so the
 * emulator's endpoint can tell which function made a call.
 */
export function placeholderCredentials(functionName: string) {
  const digest = createHash('sha256').update(functionName).digest('hex').toUpperCase();
  return {
    AWS_ACCESS_KEY_ID: `ASIA${digest.slice(0, 16)}`,
    AWS_SECRET_ACCESS_KEY: `emulate/${digest.slice(16, 48)}`,
    AWS_SESSION_TOKEN: `emulate-session-${digest.slice(48, 64)}`,
  };
}
