// GET /v1/instance: which instance the key that authenticated reaches (issue 15, `phone auth`).
// Clerk answers with the instance's id and environment_type; the fake derives both from the key:
// sk_live_ keys reach a production instance, every other key a development one.
import { createHash } from 'node:crypto';
import type { RouteResult } from './routes.ts';

export function instanceOf(secretKey: string): { object: 'instance'; id: string; environment_type: 'development' | 'production' } {
  const digest = createHash('sha256').update(secretKey).digest('hex').slice(0, 23);
  return {
    object: 'instance',
    id: `ins_${digest}`,
    environment_type: secretKey.startsWith('sk_live_') ? 'production' : 'development',
  };
}

/** The answer to an authenticated request for the instance, or undefined for any other route. */
export function instanceRoute(method: string, pathname: string, secretKey: string): RouteResult | undefined {
  if (pathname !== '/v1/instance' || method !== 'GET') return undefined;
  return { status: 200, body: instanceOf(secretKey) };
}
