// What `npm test` runs before the tests: lint, type check and build, side by side (each is mostly one
// core's work for 10-25 s). Each one's output is printed as a block when it ends; any failure fails all.
import { spawn } from 'node:child_process';

const SCRIPTS = ['lint', 'typecheck', 'build'];

const run = (script) =>
  new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => {
      process.stdout.write(`> npm run ${script}: ${code === 0 ? 'ok' : `failed (${code})`}\n${output}`);
      resolve(code === 0);
    });
  });

const results = await Promise.all(SCRIPTS.map(run));
process.exitCode = results.every(Boolean) ? 0 : 1;
