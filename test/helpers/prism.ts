import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import { ROOT, runCli } from './run-cli.ts';

const require = createRequire(import.meta.url);
const PRISM_BIN = join(dirname(require.resolve('@stoplight/prism-cli/package.json')), 'dist', 'index.js');
export const SPEC = join(ROOT, 'spec', 'clerk-bapi-2026-05-12.yml');

export interface Violation {
  location: string[];
  severity: string;
  code: string;
  message: string;
}

export interface ContractCall {
  method: string;
  path: string;
  status: number;
  /** The JSON body the CLI sent, if any. */
  body: unknown;
  /** Prism's findings about the request; its findings about its own example responses are left out. */
  requestViolations: Violation[];
}

export interface PrismMock {
  /** Base URL for the CLI: a proxy that takes the `/v1` off, since Prism serves the spec's paths without it. */
  url: string;
  calls: ContractCall[];
  /** Ask Prism for responses generated from the schemas instead of the spec's examples. */
  dynamic: boolean;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

function startPrism(port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PRISM_BIN, 'mock', SPEC, '-h', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`Prism did not start within 60 s:\n${log.slice(-2000)}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk;
      if (log.includes('Prism is listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Prism exited with ${code}:\n${log.slice(-2000)}`));
    });
  });
}

/** Prism mocking Clerk's published spec on 127.0.0.1, behind a recording proxy. */
export async function startPrismMock(): Promise<PrismMock> {
  const prismPort = await freePort();
  const prism = await startPrism(prismPort);
  const calls: ContractCall[] = [];
  const mock = { url: '', calls, dynamic: false, close: async () => {} } as PrismMock;

  const proxy: Server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '/').replace(/^\/v1(?=\/|$)/, '') || '/';
    const headers = { ...incoming.headers, host: `127.0.0.1:${prismPort}`, ...(mock.dynamic ? { prefer: 'dynamic=true' } : {}) };
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    const forwarded = request({ host: '127.0.0.1', port: prismPort, method: incoming.method, path, headers }, (answer) => {
      const text = Buffer.concat(chunks).toString('utf8');
      const header = answer.headers['sl-violations'];
      const violations: Violation[] = header ? JSON.parse(String(header)) : [];
      calls.push({
        method: incoming.method ?? '',
        path,
        status: answer.statusCode ?? 0,
        body: text ? JSON.parse(text) : undefined,
        requestViolations: violations.filter((violation) => violation.location[0] !== 'response'),
      });
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', (error) => {
      outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  mock.url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  mock.close = async () => {
    proxy.closeAllConnections();
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
    prism.removeAllListeners('exit');
    prism.kill();
  };
  return mock;
}

type SpecOperation = { requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } };

/**
 * The body fields the spec defines for the operation a call reached. Clerk's create and update
 * bodies allow unknown properties, so a misspelt field would pass Prism: tests compare against this.
 */
export async function specBodyFields(method: string, path: string): Promise<string[] | undefined> {
  const { default: yaml } = await import('js-yaml');
  const { readFileSync } = await import('node:fs');
  specCache ??= yaml.load(readFileSync(SPEC, 'utf8')) as { paths: Record<string, Record<string, SpecOperation>> };
  const pathname = path.split('?')[0]!;
  for (const [template, item] of Object.entries(specCache.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (!pattern.test(pathname)) continue;
    const properties = item[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema?.properties;
    return properties ? Object.keys(properties) : undefined;
  }
  return undefined;
}
let specCache: { paths: Record<string, Record<string, SpecOperation>> } | undefined;

/**
 * Runs phone against the mock and checks every request it sent: valid by Prism, answered
 * without a 4xx, and no body field the spec does not define. Returns the result and the calls.
 */
export async function phoneAgainst(prism: PrismMock, args: string[], allowedExitCodes: number[] = [0]) {
  const first = prism.calls.length;
  const result = await runCli(args, { env: { CLERK_SECRET_KEY: 'sk_test_contract0000000000000000abcd', CLERK_API_URL: prism.url } });
  const calls = prism.calls.slice(first);
  assert.ok(calls.length > 0, `phone ${args.join(' ')} sent no request\n${result.stderr}`);
  for (const call of calls) {
    assert.deepEqual(call.requestViolations, [], `phone ${args.join(' ')}: ${call.method} ${call.path} violates the spec`);
    assert.ok(call.status < 400, `phone ${args.join(' ')}: ${call.method} ${call.path} got ${call.status} from Prism`);
    if (call.body !== undefined) {
      const defined = await specBodyFields(call.method, call.path);
      assert.ok(defined, `${call.method} ${call.path} has a body, but the spec defines none`);
      const undefinedFields = Object.keys(call.body as object).filter((field) => !defined.includes(field));
      assert.deepEqual(undefinedFields, [], `phone ${args.join(' ')}: ${call.method} ${call.path} sends fields the spec does not define`);
    }
  }
  assert.ok(allowedExitCodes.includes(result.code ?? -1), `phone ${args.join(' ')} exited ${result.code}\n${result.stderr}`);
  return { result, calls };
}
