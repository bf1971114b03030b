// Input checks that run before any request: src/validate.ts and src/api-url.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeApiUrl } from '../src/api-url.ts';
import { normalizePhoneNumber, validateId } from '../src/validate.ts';
import { assertThrowsUsage } from './helpers/common.ts';

/** A usage error: exit code 2, code `usage`, and a message that names the bad value. */

describe('normalizePhoneNumber', () => {
  const accepted: [string, string][] = [
    ['+12015550123', '+12015550123'],
    ['+1 (201) 555-0123', '+12015550123'],
    ['+1 201 555 0123', '+12015550123'],
    ['+1-201-555-0123', '+12015550123'],
    ['+1.201.555.0123', '+12015550123'],
    ['+1(201)5550123', '+12015550123'],
    ['  +1 201 555 0123  ', '+12015550123'],
    ['+1\t201\t555\t0123', '+12015550123'],
    ['+44 20 7946 0958', '+442079460958'],
    ['+49 (0)30-1234.5678', '+4903012345678'],
    ['+12345678', '+12345678'],
    ['+123456789012345', '+123456789012345'],
  ];
  for (const [input, expected] of accepted) {
    test(`${JSON.stringify(input)} → ${expected}`, () => assert.equal(normalizePhoneNumber(input), expected));
  }

  const refused: [string, string][] = [
    ['+1234567', 'too short: 7 digits'],
    ['+1234567890123456', 'too long: 16 digits'],
    ['12015550123', 'no +'],
    ['001 201 555 0123', 'an international prefix instead of +'],
    ['+1201555CALL', 'letters'],
    ['+1 201 555 0123 ext 4', 'an extension'],
    ['++12015550123', 'two +'],
    ['+1201+5550123', 'a + inside'],
    ['+', 'only a +'],
    ['', 'empty'],
    ['+1/201/555/0123', 'slashes'],
    ['+1_201_555_0123', 'underscores'],
    ['+١٢٠١٥٥٥٠١٢٣', 'non-ASCII digits'],
    ['+12015550123\n+12015550124', 'two numbers'],
  ];
  for (const [input, why] of refused) {
    test(`${JSON.stringify(input)} is refused (${why})`, () => assertThrowsUsage(() => normalizePhoneNumber(input), 'phone number'));
  }

  test('the error names the value and the expected form', () => {
    assertThrowsUsage(() => normalizePhoneNumber('+1 555'), /"\+1 555"/);
    assertThrowsUsage(() => normalizePhoneNumber('+1 555'), /E\.164/);
  });
});

describe('validateId', () => {
  for (const id of ['idn_123', 'user_2x9ABCdef', 'idn_2JqCUaCSVr317G8Remh4jZcheSN', 'A', '_', '123']) {
    test(`${id} is accepted as is`, () => assert.equal(validateId(id, 'phone number ID'), id));
  }

  const refused = [
    '../users/user_1',
    '..',
    '.',
    'idn_1/../../users',
    'idn_1/verify',
    'idn%2F..%2Fusers',
    'idn_1?limit=1',
    'idn_1#x',
    'idn_1;x',
    'idn 1',
    ' idn_1',
    'idn_1\n',
    'idn_1\u0000',
    'idn-1',
    'idn.1',
    'idn\\1',
    'ïdn_1',
    'idn_１',
    '',
  ];
  for (const id of refused) {
    test(`${JSON.stringify(id)} is refused`, () => assertThrowsUsage(() => validateId(id, 'phone number ID'), 'phone number ID'));
  }

  test('the label names what was wrong', () => assertThrowsUsage(() => validateId('user/1', 'user ID'), 'user ID'));
});

describe('normalizeApiUrl', () => {
  const accepted: [string, string][] = [
    ['https://api.clerk.com', 'https://api.clerk.com/v1'],
    ['https://api.clerk.com/', 'https://api.clerk.com/v1'],
    ['https://api.clerk.com///', 'https://api.clerk.com/v1'],
    ['https://api.clerk.com/v1', 'https://api.clerk.com/v1'],
    ['https://api.clerk.com/v1/', 'https://api.clerk.com/v1'],
    ['https://api.clerk.com/v1//', 'https://api.clerk.com/v1'],
    ['https://proxy.example.com/clerk', 'https://proxy.example.com/clerk/v1'],
    ['https://proxy.example.com/clerk/v1', 'https://proxy.example.com/clerk/v1'],
    ['https://proxy.example.com:8443', 'https://proxy.example.com:8443/v1'],
    ['HTTPS://API.CLERK.COM', 'https://api.clerk.com/v1'],
    ['http://localhost', 'http://localhost/v1'],
    ['http://localhost:3000', 'http://localhost:3000/v1'],
    ['http://localhost:3000/v1', 'http://localhost:3000/v1'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/v1'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/v1'],
    ['http://127.1.2.3', 'http://127.1.2.3/v1'],
    ['http://127.255.255.254:9/v1', 'http://127.255.255.254:9/v1'],
    ['http://[::1]:9000', 'http://[::1]:9000/v1'],
    ['http://[::1]/v1/', 'http://[::1]/v1'],
  ];
  for (const [input, expected] of accepted) {
    test(`${input} → ${expected}`, () => assert.equal(normalizeApiUrl(input, '--api-url'), expected));
  }

  test('/v1 is appended once, never doubled', () => {
    const once = normalizeApiUrl('https://api.clerk.com', '--api-url');
    assert.equal(normalizeApiUrl(once, '--api-url'), once);
    assert.equal(once.match(/\/v1/g)?.length, 1);
  });

  const plainHttpRefused = [
    'http://api.clerk.com',
    'http://example.com/v1',
    'http://10.0.0.1',
    'http://192.168.1.10:8080',
    'http://0.0.0.0:8080',
    'http://128.0.0.1',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
    'http://localhost@evil.example.com',
    'http://[::2]',
  ];
  for (const url of plainHttpRefused) {
    test(`plain ${url} is refused (not loopback: the key would travel in clear text)`, () =>
      assertThrowsUsage(() => normalizeApiUrl(url, 'CLERK_API_URL'), 'CLERK_API_URL'));
  }

  for (const url of [
    'ftp://api.clerk.com',
    'file:///etc/passwd',
    'ws://localhost:3000',
    'javascript:alert(1)',
    'data:text/plain,x',
    'mailto:a@b.c',
  ]) {
    test(`${url} is refused (not http/https)`, () => assertThrowsUsage(() => normalizeApiUrl(url, '--api-url')));
  }

  for (const url of ['', 'api.clerk.com', 'not a url', 'https://', '//api.clerk.com']) {
    test(`${JSON.stringify(url)} is refused (not a URL)`, () => assertThrowsUsage(() => normalizeApiUrl(url, '--api-url'), '--api-url'));
  }

  test('the error names the source of the URL', () => {
    assertThrowsUsage(() => normalizeApiUrl('http://example.com', 'config apiUrl'), 'config apiUrl');
  });
});
