// Pure pieces of the config layer (issue 12): redaction forms, the shape walk, value descriptions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkShape, describeValue } from '../src/config-parse.ts';
import { isTrustedByProjectFiles } from '../src/api-url.ts';
import { redactIn, redactKeyShapes } from '../src/redact.ts';

const KEY = 'sk_test_Odd"Quote\\Slash_0123456789abcdefWXYZ';

test('redactIn takes out the key as it is, JSON-escaped once and twice, and in any letter case', () => {
  const once = JSON.stringify(KEY);
  const twice = JSON.stringify(JSON.stringify(KEY));
  const text = `raw ${KEY} once ${once} twice ${twice} lower ${KEY.toLowerCase()}`;
  const out = redactIn(text, [undefined, KEY]);
  for (const form of [KEY, once.slice(1, -1), twice.slice(1, -1), KEY.toLowerCase()]) assert.ok(!out.includes(form), `${form} in ${out}`);
  assert.equal(out.split('sk_test_…WXYZ').length - 1, 4, out);
});

test('redactIn leaves text without the key alone, and a $ in the key is not a replacement pattern', () => {
  assert.equal(redactIn('nothing here', ['sk_test_absent0000000000000']), 'nothing here');
  assert.equal(redactIn('a $&$1 b', 'x$&$1y'), 'a $&$1 b');
  assert.equal(redactIn('k=x$&$1y0123456789abc', 'x$&$1y0123456789abc'), 'k=…9abc');
});

test('redactKeyShapes takes out anything shaped like a Clerk secret key, in any case', () => {
  const out = redactKeyShapes('http://sk_test_abcdefghijklmnop0123/ and SK_LIVE_ABCDEFGHIJKLMNOP9876 and pk_test_public');
  assert.equal(out, 'http://sk_test_…0123/ and …9876 and pk_test_public');
});

test('checkShape refuses $import, Object member names, shared objects and deep nesting, and accepts settings', () => {
  const refused: [unknown, RegExp][] = [
    [{ profiles: { dev: { $import: 'x' } } }, /\$import/],
    [JSON.parse('{"__proto__": 1}'), /__proto__/],
    [{ output: { constructor: 1 } }, /constructor/],
    [
      (() => {
        const shared = [1];
        return { a: [shared, shared] };
      })(),
      /alias/,
    ],
    [JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), /nested/],
  ];
  for (const [content, message] of refused) assert.throws(() => checkShape('/f', content), message);
  assert.doesNotThrow(() => checkShape('/f', { secretKey: 'k', profiles: { dev: { output: 'json', retries: 1 } } }));
  assert.doesNotThrow(() => checkShape('/f', undefined));
});

test('describeValue shows short scalars and only the kind or length of anything else', () => {
  assert.equal(describeValue('json'), '"json"');
  assert.equal(describeValue('x'.repeat(65)), 'a string of 65 characters');
  assert.equal(describeValue([1]), 'a list');
  assert.equal(describeValue({ a: 1 }), 'an object');
  assert.equal(describeValue(3), '3');
  assert.equal(describeValue(null), 'null');
});

test('isTrustedByProjectFiles: Clerk over https and loopback only', () => {
  for (const url of [
    'https://api.clerk.com/v1',
    'https://api.clerk.com:443/v1',
    'http://localhost:1/v1',
    'http://127.0.0.2/v1',
    'http://[::1]:8/v1',
  ])
    assert.ok(isTrustedByProjectFiles(url), url);
  for (const url of [
    'http://api.clerk.com/v1',
    'https://api.clerk.com:8443/v1',
    'https://api.clerk.com.evil.example/v1',
    'https://evil.example/v1',
  ])
    assert.ok(!isTrustedByProjectFiles(url), url);
});
