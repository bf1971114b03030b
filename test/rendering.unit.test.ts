// What people and scripts read: timestamps, color decisions, key redaction, error reports and the
// phone number table (at color level 0, so the text is compared as is).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PhoneNumber } from '../src/api/phone-numbers.ts';
import { CliError, ExitCode } from '../src/errors.ts';
import { colorLevel } from '../src/output/color.ts';
import { renderErrorJson, renderErrorText } from '../src/output/error-report.ts';
import { renderPhoneNumberTable } from '../src/output/phone-table.ts';
import { formatTimestamp } from '../src/output/timestamps.ts';
import { redactIn, redactKey } from '../src/redact.ts';

const ANSI = /\u001b\[/;

describe('formatTimestamp', () => {
  test('milliseconds and seconds give the same ISO date', () => {
    assert.equal(formatTimestamp(1_700_000_000_000), '2023-11-14T22:13:20.000Z');
    assert.equal(formatTimestamp(1_700_000_000), '2023-11-14T22:13:20.000Z');
    assert.equal(formatTimestamp(1_778_580_000_000), formatTimestamp(1_778_580_000));
  });

  test('keeps milliseconds', () => assert.equal(formatTimestamp(1_700_000_000_123), '2023-11-14T22:13:20.123Z'));

  test('null and undefined are a dash', () => {
    assert.equal(formatTimestamp(null), '—');
    assert.equal(formatTimestamp(undefined), '—');
  });

  test('something that is not a number is shown as it is, never thrown on', () => {
    assert.equal(formatTimestamp('2026-05-12'), '2026-05-12');
    assert.doesNotThrow(() => formatTimestamp(Number.NaN));
    assert.doesNotThrow(() => formatTimestamp(Number.POSITIVE_INFINITY));
    assert.doesNotThrow(() => formatTimestamp({}));
    assert.doesNotThrow(() => formatTimestamp(1e300));
  });
});

describe('colorLevel: --no-color > FORCE_COLOR > NO_COLOR > TTY', () => {
  test('--no-color wins over everything', () => {
    assert.equal(colorLevel(false, { FORCE_COLOR: '1' }, true), 0);
    assert.equal(colorLevel(false, { FORCE_COLOR: '3' }, true), 0);
    assert.equal(colorLevel(false, {}, true), 0);
  });

  test('FORCE_COLOR turns color on, even when piped and with NO_COLOR set', () => {
    assert.ok(colorLevel(undefined, { FORCE_COLOR: '1' }, false) > 0);
    assert.ok(colorLevel(true, { FORCE_COLOR: '1', NO_COLOR: '1' }, false) > 0);
    assert.ok(colorLevel(undefined, { FORCE_COLOR: '' }, false) > 0, 'as in Node, an empty FORCE_COLOR means on');
    assert.ok(colorLevel(undefined, { FORCE_COLOR: 'true' }, false) > 0);
    assert.equal(colorLevel(undefined, { FORCE_COLOR: '2' }, false), 2);
    assert.equal(colorLevel(undefined, { FORCE_COLOR: '3' }, false), 3);
  });

  test('FORCE_COLOR=0 turns color off, even on a terminal', () => {
    assert.equal(colorLevel(undefined, { FORCE_COLOR: '0' }, true), 0);
    assert.equal(colorLevel(true, { FORCE_COLOR: '0' }, true), 0);
    assert.equal(colorLevel(undefined, { FORCE_COLOR: 'false' }, true), 0);
  });

  test('NO_COLOR, any value, turns color off on a terminal', () => {
    assert.equal(colorLevel(undefined, { NO_COLOR: '1' }, true), 0);
    assert.equal(colorLevel(true, { NO_COLOR: 'yes' }, true), 0);
    assert.equal(colorLevel(undefined, { NO_COLOR: '' }, true), 0);
  });

  test('otherwise: color exactly when the stream is a terminal', () => {
    assert.ok(colorLevel(undefined, {}, true) > 0);
    assert.ok(colorLevel(true, {}, true) > 0);
    assert.equal(colorLevel(undefined, {}, false), 0);
    assert.equal(colorLevel(true, {}, false), 0);
    assert.equal(colorLevel(undefined, { TERM: 'xterm-256color' }, false), 0);
  });
});

describe('redactKey / redactIn', () => {
  const key = 'sk_test_fakeclerk0000000000000000000000000000abcd';

  test('keeps the prefix and the last four characters', () => {
    assert.equal(redactKey(key), 'sk_test_…abcd');
    assert.equal(redactKey('sk_live_0123456789ABCDEFGHIJwxyz'), 'sk_live_…wxyz');
    assert.equal(redactKey('pk_test_0123456789ABCDEFGHIJwxyz'), 'pk_test_…wxyz');
  });

  test('a short key shows no tail; an unknown prefix is not shown', () => {
    assert.equal(redactKey('sk_test_abc'), 'sk_test_…');
    assert.equal(redactKey('sk_test_'), 'sk_test_…');
    const odd = 'mysecretvalue-0123456789';
    assert.ok(!redactKey(odd).includes('mysecret'));
    assert.ok(redactKey(odd).length <= 5);
  });

  test('the redacted form never contains the key', () => {
    for (const k of [key, 'sk_live_0123456789ABCDEFGHIJwxyz', 'sk_test_abc', 'x']) assert.ok(!redactKey(k).includes(k));
  });

  test('redactIn replaces every occurrence', () => {
    const text = `Bearer ${key}\nkey=${key};${key}`;
    const out = redactIn(text, key);
    assert.ok(!out.includes(key));
    assert.equal(out, 'Bearer sk_test_…abcd\nkey=sk_test_…abcd;sk_test_…abcd');
  });

  test('redactIn treats the key literally (no regex)', () => {
    const tricky = 'sk_test_a.b*c+d?e(f)[g]$^|0123';
    assert.equal(redactIn(`-${tricky}-`, tricky), `-${redactKey(tricky)}-`);
    assert.equal(redactIn('sk_test_aXbYcZd', tricky), 'sk_test_aXbYcZd');
  });

  test('redactIn without a key leaves the text alone', () => {
    assert.equal(redactIn('nothing to hide', undefined), 'nothing to hide');
    assert.equal(redactIn('nothing to hide', ''), 'nothing to hide');
  });
});

describe('renderErrorJson', () => {
  test('a Clerk error: one line, exactly {error: {status, code, message, errors, clerk_trace_id}}', () => {
    const errors = [
      {
        message: 'is invalid',
        long_message: 'phone_number is invalid',
        code: 'form_param_format_invalid',
        meta: { param_name: 'phone_number' },
        extra: 1,
      },
      { message: 'taken', long_message: 'That phone number is taken.', code: 'form_identifier_exists' },
    ];
    const error = new CliError('phone_number is invalid', ExitCode.apiRefused, 'form_param_format_invalid', {
      status: 422,
      errors,
      traceId: 'trace_123',
    });
    const out = renderErrorJson(error);
    assert.ok(out.endsWith('\n'));
    assert.equal(out.trimEnd().split('\n').length, 1);
    const parsed = JSON.parse(out);
    assert.deepEqual(Object.keys(parsed), ['error']);
    assert.deepEqual(parsed, {
      error: { status: 422, code: 'form_param_format_invalid', message: 'phone_number is invalid', errors, clerk_trace_id: 'trace_123' },
    });
  });

  test('no answer: status and clerk_trace_id are null, errors empty', () => {
    const parsed = JSON.parse(renderErrorJson(new CliError('no answer within 300 ms', ExitCode.temporary, 'timeout')));
    assert.deepEqual(parsed, {
      error: { status: null, code: 'timeout', message: 'no answer within 300 ms', errors: [], clerk_trace_id: null },
    });
  });

  test('a usage error keeps the same shape', () => {
    const parsed = JSON.parse(renderErrorJson(new CliError('bad flag', ExitCode.usage, 'usage', { usage: 'Usage: phone get <id>' })));
    assert.deepEqual(Object.keys(parsed.error).sort(), ['clerk_trace_id', 'code', 'errors', 'message', 'status']);
    assert.equal(parsed.error.code, 'usage');
    assert.equal(parsed.error.status, null);
  });
});

describe('renderErrorText', () => {
  const plain = { red: (s: string) => s, dim: (s: string) => s };

  test('every long_message with its code, the status and the trace id', () => {
    const error = new CliError('first', ExitCode.apiRefused, 'a_code', {
      status: 422,
      errors: [
        { long_message: 'first problem', code: 'a_code' },
        { long_message: 'second problem', code: 'b_code' },
      ],
      traceId: 'trace_xyz',
    });
    const out = renderErrorText(error, plain);
    assert.match(out, /first problem.*a_code/);
    assert.match(out, /second problem.*b_code/);
    assert.match(out, /422/);
    assert.match(out, /trace_xyz/);
    assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
  });
});

describe('renderPhoneNumberTable at level 0', () => {
  const base: PhoneNumber = {
    id: 'idn_2JqCUaCSVr317G8Remh4jZcheSN',
    object: 'phone_number',
    phone_number: '+12015550100',
    reserved_for_second_factor: false,
    default_second_factor: false,
    reserved: false,
    verification: { status: 'verified', strategy: 'admin', attempts: null, expire_at: null },
    linked_to: [],
    backup_codes: null,
    created_at: 1_700_000_000_000,
    updated_at: 1_700_000_100_000,
  };

  /** The table's rows as label → value. */
  function rows(out: string): Map<string, string> {
    const map = new Map<string, string>();
    for (const line of out.split('\n')) {
      const cells = line.split('│').map((c) => c.trim());
      if (cells.length >= 4) map.set(cells[1]!, cells[2]!);
    }
    return map;
  }

  function render(phone: PhoneNumber): { out: string; rows: Map<string, string> } {
    let out = '';
    assert.doesNotThrow(() => (out = renderPhoneNumberTable(phone, { level: 0, width: undefined })));
    assert.doesNotMatch(out, ANSI, 'no escape codes at level 0');
    assert.ok(out.endsWith('\n'));
    return { out, rows: rows(out) };
  }

  test('shows every field a person needs, dates as ISO', () => {
    const { rows: r } = render(base);
    assert.equal(r.get('ID'), base.id);
    assert.equal(r.get('Phone number'), '+12015550100');
    assert.equal(r.get('Verification'), 'verified');
    assert.equal(r.get('Strategy'), 'admin');
    assert.equal(r.get('Reserved'), 'no');
    assert.equal(r.get('Reserved for second factor'), 'no');
    assert.equal(r.get('Default second factor'), 'no');
    assert.equal(r.get('Linked to'), '—');
    assert.equal(r.get('Created'), '2023-11-14T22:13:20.000Z');
    assert.equal(r.get('Updated'), '2023-11-14T22:15:00.000Z');
  });

  test('verification null', () => {
    const { rows: r } = render({ ...base, verification: null });
    assert.equal(r.get('ID'), base.id);
    assert.ok(!/verified/.test(r.get('Verification') ?? ''), `not shown as verified: ${r.get('Verification')}`);
    assert.equal(r.get('Strategy'), '—');
  });

  test('an unknown strategy and status are shown as they are', () => {
    const { rows: r } = render({
      ...base,
      verification: { status: 'transferable', strategy: 'whatsapp_code', attempts: 2, expire_at: 1_700_000_000_000 },
    });
    assert.equal(r.get('Verification'), 'transferable');
    assert.equal(r.get('Strategy'), 'whatsapp_code');
  });

  test('null attempts and expire_at, unverified', () => {
    const { rows: r } = render({
      ...base,
      verification: { status: 'unverified', strategy: 'phone_code', attempts: null, expire_at: null },
    });
    assert.equal(r.get('Verification'), 'unverified');
    assert.equal(r.get('Strategy'), 'phone_code');
  });

  test('extra unknown fields do not break it', () => {
    const { rows: r } = render({
      ...base,
      some_new_field: { nested: [1, 2, 3] },
      another: null,
      verification: { status: 'verified', strategy: 'admin', attempts: null, expire_at: null, channel: 'sms', error: { code: 'x' } },
    } as PhoneNumber);
    assert.equal(r.get('ID'), base.id);
    assert.equal(r.get('Verification'), 'verified');
  });

  test('linked_to not empty lists each link with type and id', () => {
    const { rows: r } = render({
      ...base,
      linked_to: [
        { type: 'oauth_google', id: 'idn_google1' },
        { type: 'saml', id: 'idn_saml2' },
      ],
    });
    const links = r.get('Linked to') ?? '';
    for (const part of ['oauth_google', 'idn_google1', 'saml', 'idn_saml2']) assert.ok(links.includes(part), `${part} in ${links}`);
  });

  test('reserved flags true read yes', () => {
    const { rows: r } = render({ ...base, reserved: true, reserved_for_second_factor: true, default_second_factor: true });
    assert.equal(r.get('Reserved'), 'yes');
    assert.equal(r.get('Reserved for second factor'), 'yes');
    assert.equal(r.get('Default second factor'), 'yes');
  });

  test('missing or odd fields: no throw, dashes', () => {
    const { rows: r } = render({
      id: 'idn_1',
      object: 'phone_number',
      phone_number: '+12015550100',
      reserved: false,
      verification: null,
      linked_to: null,
      created_at: null,
      updated_at: 1_700_000_000,
    } as unknown as PhoneNumber);
    assert.equal(r.get('Linked to'), '—');
    assert.equal(r.get('Created'), '—');
    assert.equal(r.get('Updated'), '2023-11-14T22:13:20.000Z', 'seconds read as seconds');
    assert.equal(r.get('Reserved for second factor'), '—');
  });
});
