// `npm run demo`: starts the local fake Clerk server and walks through create, get, update and
// delete (and the instance-wide list) with the built CLI, printing each command and its table as a person would see them.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeClerk } from '../test/fake-clerk/server.ts';

const bin = join(fileURLToPath(new URL('..', import.meta.url)), 'bin', 'phone.js');
const server = await startFakeClerk();
const user = server.addUser({ id: 'user_demo', firstName: 'Demo' });
const env = { ...process.env, CLERK_SECRET_KEY: server.secretKey, CLERK_API_URL: server.url };

function phone(args: string[]): Promise<void> {
  console.log(`\n$ phone ${args.map((a) => (/[\s()]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`phone exited with ${code}`))));
  });
}

try {
  console.log(`Fake Clerk server at ${server.url} with user ${user.id}`);
  await phone(['create', '--user-id', user.id, '--phone-number', '+1 (201) 555-0100', '--output', 'table']);
  const created = server.phoneNumbers()[0]!;
  await phone(['get', created.id, '--output', 'table']);
  await phone(['update', created.id, '--verified', '--primary', '--output', 'table']);
  await phone(['list', '--all', '--output', 'table']);
  await phone(['delete', created.id, '--yes', '--output', 'table']);
  console.log('\nDemo finished: every command above ran against the local fake server.');
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await server.close();
}
