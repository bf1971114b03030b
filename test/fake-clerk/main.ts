// Standalone fake for demos and manual poking:
//   tsx test/fake-clerk/main.ts [--port N] [--seed]
// Prints one JSON line ({url, secretKey[, userId]}) once listening, so a
// parent process can read it, then serves until SIGINT/SIGTERM.
import { startFakeClerk } from './server.ts';

function parseArgs(argv: string[]): { port?: number; seed: boolean } {
  const out: { port?: number; seed: boolean } = { seed: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--seed') out.seed = true;
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const raw = arg === '--port' ? argv[++i] : arg.slice('--port='.length);
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`invalid port: ${raw}`);
      out.port = port;
    } else usage(`unknown argument: ${arg}`);
  }
  return out;
}

function usage(problem: string): never {
  process.stderr.write(`fake-clerk: ${problem}\nusage: tsx test/fake-clerk/main.ts [--port N] [--seed]\n`);
  process.exit(2);
}

const args = parseArgs(process.argv.slice(2));
const clerk = await startFakeClerk({ port: args.port });
const info: { url: string; secretKey: string; userId?: string } = { url: clerk.url, secretKey: clerk.secretKey };
if (args.seed) info.userId = clerk.addUser({ id: 'user_demo', firstName: 'Demo' }).id;
process.stdout.write(`${JSON.stringify(info)}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void clerk.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
