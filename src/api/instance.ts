import { invalidResponseError } from './api-error.js';
import type { ClerkClient } from './client.js';

/** Which instance a key reaches: `GET /v1/instance`, the cheapest request that needs a valid key. */
export interface InstanceInfo {
  id: string;
  /** `development` or `production` as Clerk says; another word is shown as it is. */
  environment: string;
}

const SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

export async function getInstance(client: ClerkClient): Promise<InstanceInfo> {
  const instance = await client.request<Record<string, unknown>>({ method: 'GET', path: '/instance' });
  const { id, environment_type: environment } = instance;
  // Both are shown on a terminal: anything but a plain word is not Clerk's answer.
  if (typeof id !== 'string' || !SHAPE.test(id)) throw invalidResponseError(200, 'an instance without a valid id');
  if (typeof environment !== 'string' || !SHAPE.test(environment)) {
    throw invalidResponseError(200, 'an instance without a valid environment_type');
  }
  return { id, environment };
}
