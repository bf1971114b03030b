// The pacer's arithmetic with a fake clock: --rate parsing, the defaults by key kind, even spacing,
// AIMD after 429s, stop(), and the in-flight limit that follows rate × latency.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CliError, ExitCode } from '../src/errors.ts';
import { defaultRateForKey, parseRate, perSecond, withJitterAllowance, type Rate } from '../src/api/rate.ts';
import { Pacer, PacerStopped, PacerTimeout, type Sleep } from '../src/api/pacer.ts';
import { concurrencyFor, InFlightLimit, MAX_IN_FLIGHT, MIN_IN_FLIGHT } from '../src/batch/concurrency.ts';

/** Time that passes only when the pacer sleeps (plus `late` ms per sleep, as a busy timer would). */
function fakeClock(late: (ms: number) => number = () => 0) {
  const clock = {
    t: 0,
    sleeps: 0,
    now: () => clock.t,
    // Time moves on only after everything already due has run, as with a real timer.
    sleep: ((ms: number) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          clock.sleeps++;
          clock.t += ms + late(ms);
          resolve();
        }),
      )) as Sleep,
  };
  return clock;
}

type Clock = ReturnType<typeof fakeClock>;

function pacerAt(target: Rate, clock = fakeClock(), onPaceChange?: (rate: number) => void) {
  return { pacer: new Pacer({ target, now: clock.now, sleep: clock.sleep, onPaceChange }), clock };
}

/** Calls acquire() n times at once and returns the times they were let through, in order. */
async function acquireAll(pacer: Pacer, clock: Clock, n: number): Promise<number[]> {
  return Promise.all(Array.from({ length: n }, () => pacer.acquire().then(() => clock.t)));
}

const TEN_PER_SECOND: Rate = { requests: 10, perMs: 1000 };

describe('parseRate', () => {
  const valid: [string, Rate][] = [
    ['100/10s', { requests: 100, perMs: 10_000 }],
    ['25/10s', { requests: 25, perMs: 10_000 }],
    ['5/1s', { requests: 5, perMs: 1000 }],
    ['300/1m', { requests: 300, perMs: 60_000 }],
    ['2/500ms', { requests: 2, perMs: 500 }],
    ['1/1h', { requests: 1, perMs: 3_600_000 }],
    ['5/s', { requests: 5, perMs: 1000 }],
    [' 100 / 10S ', { requests: 100, perMs: 10_000 }],
    ['10000/1s', { requests: 10_000, perMs: 1000 }],
    ['1/1ms', { requests: 1, perMs: 1 }],
  ];
  for (const [text, rate] of valid)
    test(`${JSON.stringify(text)} is ${rate.requests} per ${rate.perMs} ms`, () => assert.deepEqual(parseRate(text), rate));

  const invalid: [string, string, RegExp][] = [
    ['zero requests', '0/10s', /allows no request/],
    ['a negative count', '-5/1s', /negative/],
    ['a negative period', '5/-1s', /negative/],
    ['a fraction of a request', '2.5/1s', /whole numbers/],
    ['a fractional period', '1/0.5s', /whole numbers/],
    ['a missing unit', '100/10', /needs a unit/],
    ['a bare number', '100', /not a rate/],
    ['an unknown unit', '100/10d', /not a rate/],
    ['an exponent', '1e3/1s', /not a rate/],
    ['nothing', '', /not a rate/],
    ['a zero period', '100/0s', /between 1ms and 1h/],
    ['a period over an hour', '1/61m', /between 1ms and 1h/],
    ['more than 10,000 per second', '10001/1s', /more than 10000 requests per second/],
    ['more than 10,000 per second in milliseconds', '11/1ms', /more than 10000 requests per second/],
    ['too many digits', '1234567890/1s', /not a rate/],
  ];
  for (const [what, text, why] of invalid) {
    test(`${what} (${JSON.stringify(text)}) is a usage error showing the accepted form`, () => {
      assert.throws(
        () => parseRate(text),
        (error: unknown) => {
          assert.ok(error instanceof CliError);
          assert.equal(error.exitCode, ExitCode.usage);
          assert.match(error.message, /^--rate must be <requests>\/<period> such as 100\/10s/);
          assert.ok(error.message.includes(JSON.stringify(text)), error.message);
          assert.match(error.message, why);
          return true;
        },
      );
    });
  }

  test('the error names where the rate came from', () => {
    assert.throws(() => parseRate('fast', 'rate in profile ci'), /^CliError: rate in profile ci must be/);
  });

  test('a long hostile value is not echoed whole', () => {
    assert.throws(
      () => parseRate('9'.repeat(10_000)),
      (error: CliError) => error.message.length < 300,
    );
  });
});

describe('defaultRateForKey', () => {
  test("a production key: 90% of Clerk's 1000 per 10 s", () =>
    assert.deepEqual(defaultRateForKey('sk_live_abc'), { requests: 900, perMs: 10_000 }));
  test("a development key: 90% of Clerk's 100 per 10 s", () =>
    assert.deepEqual(defaultRateForKey('sk_test_abc'), { requests: 90, perMs: 10_000 }));
  test('a key of neither kind: the smaller, development limit', () =>
    assert.deepEqual(defaultRateForKey('xyz'), { requests: 90, perMs: 10_000 }));
});

describe('withJitterAllowance', () => {
  test('100/1s is paced so that a window of 1 s widened by 10 ms of jitter holds 100: 1% slower', () => {
    const paced = withJitterAllowance({ requests: 100, perMs: 1000 });
    assert.deepEqual(paced, { requests: 100, perMs: 1010 });
    assert.ok(perSecond(paced) < 100 && perSecond(paced) > 99);
  });
  test('at 90 per 10 s the allowance costs a tenth of a percent', () => {
    assert.ok(perSecond(withJitterAllowance({ requests: 90, perMs: 10_000 })) > 8.99);
  });
});

describe('Pacer spacing', () => {
  test('N requests at rate r take (N-1)/r, evenly spaced, the first at once', async () => {
    const { pacer, clock } = pacerAt({ requests: 5, perMs: 1000 });
    const times = await acquireAll(pacer, clock, 10);
    assert.deepEqual(times, [0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
  });

  test('100 per 10 s is one every 100 ms, not 100 at once', async () => {
    const { pacer, clock } = pacerAt({ requests: 100, perMs: 10_000 });
    const times = await acquireAll(pacer, clock, 100);
    assert.equal(times.at(-1), 99 * 100);
    times.slice(1).forEach((t, i) => assert.equal(t - times[i]!, 100));
  });

  test('acquire() numbers the requests in the order they leave', async () => {
    const { pacer } = pacerAt(TEN_PER_SECOND);
    assert.deepEqual(await Promise.all([pacer.acquire(), pacer.acquire(), pacer.acquire()]), [1, 2, 3]);
  });

  test('a worker that comes back between slots waits for the next one', async () => {
    const { pacer, clock } = pacerAt(TEN_PER_SECOND);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      await pacer.acquire();
      times.push(clock.t);
      clock.t += 30; // the request's own round trip
    }
    assert.deepEqual(times, [0, 100, 200, 300, 400]);
  });

  test('after an idle pipe the next request goes at once, and the one after a full interval later', async () => {
    const { pacer, clock } = pacerAt(TEN_PER_SECOND);
    await acquireAll(pacer, clock, 3);
    clock.t = 10_000;
    const sleepsBefore = clock.sleeps;
    await pacer.acquire();
    assert.equal(clock.t, 10_000);
    assert.equal(clock.sleeps, sleepsBefore, 'no wait after idling');
    assert.deepEqual(await acquireAll(pacer, clock, 3), [10_100, 10_200, 10_300]);
  });

  test('timers that fire late do not slow the run down', async () => {
    const { pacer, clock } = pacerAt(
      TEN_PER_SECOND,
      fakeClock(() => 3),
    );
    const times = await acquireAll(pacer, clock, 11);
    assert.equal(times.at(-1), 1000 + 3);
  });

  test('however late the timers, no 1 s window holds more than its share plus one', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const { pacer, clock } = pacerAt(
      TEN_PER_SECOND,
      fakeClock(() => random() * 150),
    );
    const times = await acquireAll(pacer, clock, 500);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
      assert.ok(inWindow <= 11, `${inWindow} requests in the 1 s from ${times[i]}`);
    }
  });

  test('10,000 per second behind 1 ms timers: the rate holds, the overdue slots of each tick go together', async () => {
    // A real timer sleeps at least a millisecond: asked for 0.1 ms, it wakes 0.9 ms late.
    const { pacer, clock } = pacerAt(
      { requests: 10_000, perMs: 1000 },
      fakeClock((ms) => Math.max(0, 1 - ms)),
    );
    const times = await acquireAll(pacer, clock, 1001);
    assert.ok(times.at(-1)! <= 101, `1001 requests took ${times.at(-1)} ms, not about 100`);
    for (let i = 0; i < times.length; i++) {
      const inWindow = times.filter((t) => t >= times[i]! && t < times[i]! + 10).length;
      assert.ok(inWindow <= 100 + 41, `${inWindow} requests in the 10 ms from ${times[i]}`);
    }
  });

  test('10,000 per second: slots a tenth of a millisecond apart', async () => {
    const { pacer, clock } = pacerAt({ requests: 10_000, perMs: 1000 });
    const times = await acquireAll(pacer, clock, 1001);
    assert.ok(Math.abs(times.at(-1)! - 100) < 1e-6, String(times.at(-1)));
  });

  test('measuredRate: the pace that actually left, falling back to 0 when idle', async () => {
    const { pacer, clock } = pacerAt(TEN_PER_SECOND);
    assert.equal(pacer.measuredRate(), 0);
    await acquireAll(pacer, clock, 31);
    assert.equal(pacer.measuredRate(), 10);
    clock.t += 60_000;
    assert.equal(pacer.measuredRate(), 0);
  });
});

const near = (actual: number | undefined, expected: number) => Math.abs((actual ?? Number.NaN) - expected) < 1e-9;

describe('Pacer after 429s', () => {
  test('a 429 cuts the pace by 30% and reports it; successes bring it back to the target, never above', async () => {
    const changes: number[] = [];
    const { pacer } = pacerAt(TEN_PER_SECOND, fakeClock(), (rate) => changes.push(rate));
    pacer.onRateLimited(await pacer.acquire());
    assert.equal(pacer.pace, 7);
    let successes = 0;
    while (pacer.pace < 10 && successes < 1000) {
      pacer.onSuccess();
      successes++;
    }
    assert.equal(pacer.pace, 10);
    assert.ok(successes >= 140 && successes <= 160, `back at the target after ${successes} successes`);
    for (let i = 0; i < 50; i++) pacer.onSuccess();
    assert.equal(pacer.pace, 10);
    assert.deepEqual(changes, [7, 10], 'one --debug line for the cut, one for being back');
  });

  test('the slower pace applies to the very next request', async () => {
    const { pacer, clock } = pacerAt(TEN_PER_SECOND);
    pacer.onRateLimited(await pacer.acquire());
    const [second, third] = await acquireAll(pacer, clock, 2);
    assert.ok(near(second, 1000 / 7) && near(third, 2000 / 7), `${second}, ${third}`);
  });

  test('429s of requests that left before the cut do not cut again', async () => {
    const { pacer } = pacerAt(TEN_PER_SECOND);
    const inFlight = await Promise.all(Array.from({ length: 5 }, () => pacer.acquire()));
    for (const sent of inFlight) pacer.onRateLimited(sent);
    assert.equal(pacer.pace, 7);
    pacer.onRateLimited(await pacer.acquire());
    assert.ok(near(pacer.pace, 4.9), String(pacer.pace));
  });

  test('cuts stop at a floor of a twentieth of the target', async () => {
    const { pacer } = pacerAt({ requests: 100, perMs: 1000 });
    for (let i = 0; i < 50; i++) pacer.onRateLimited(await pacer.acquire());
    assert.equal(pacer.pace, 5);
  });

  test('Retry-After holds every request back, and then they leave spaced, not in a burst', async () => {
    const { pacer, clock } = pacerAt(TEN_PER_SECOND);
    const sent = await pacer.acquire();
    clock.t = 80;
    pacer.onRateLimited(sent, 2000);
    const times = await acquireAll(pacer, clock, 3);
    assert.equal(times[0], 2080);
    assert.ok(near(times[1]! - times[0]!, 1000 / 7) && near(times[2]! - times[1]!, 1000 / 7), times.join());
  });

  test('a Retry-After beyond what the client would wait is held to 60 s', async () => {
    const { pacer, clock } = pacerAt(TEN_PER_SECOND);
    pacer.onRateLimited(await pacer.acquire(), 1e15);
    await pacer.acquire();
    assert.equal(clock.t, 60_000);
  });

  /**
   * Sends `count` requests one after another against a fixed-window limit of `limit` per second
   * (Retry-After: the rest of the window) and returns what happened.
   */
  async function againstLimit(target: Rate, limit: number, count: number) {
    const paces: number[] = [];
    const { pacer, clock } = pacerAt(target, fakeClock(), (rate) => paces.push(rate));
    const perWindow = new Map<number, number>();
    let refused = 0;
    let refusedInSecondHalf = 0;
    let startOfSecondHalf = 0;
    for (let i = 0; i < count; i++) {
      if (i === count / 2) startOfSecondHalf = clock.t;
      const sent = await pacer.acquire();
      const window = Math.floor(clock.t / 1000);
      const seen = (perWindow.get(window) ?? 0) + 1;
      perWindow.set(window, seen);
      if (seen > limit) {
        refused++;
        if (i >= count / 2) refusedInSecondHalf++;
        pacer.onRateLimited(sent, (window + 1) * 1000 - clock.t);
      } else pacer.onSuccess();
      paces.push(pacer.pace);
    }
    const secondHalfRate = ((count / 2) * 1000) / (clock.t - startOfSecondHalf);
    return { refused, refusedInSecondHalf, paces, secondHalfRate };
  }

  test('at a limit equal to the target, evenly spaced requests never meet a 429', async () => {
    const { refused } = await againstLimit({ requests: 100, perMs: 1000 }, 100, 3000);
    assert.equal(refused, 0);
  });

  for (const limit of [70, 25]) {
    test(`with a limit of ${limit}/s below the target of 100/s, the pace settles below the limit and 429s stay rare`, async () => {
      const target = { requests: 100, perMs: 1000 };
      const { refused, refusedInSecondHalf, paces, secondHalfRate } = await againstLimit(target, limit, 6000);
      assert.ok(
        paces.every((pace) => pace <= perSecond(target)),
        'never above the target',
      );
      assert.ok(Math.max(...paces.slice(3000)) < perSecond(target), 'settled: the target is not reached again');
      assert.ok(secondHalfRate <= limit && secondHalfRate > 0.8 * limit, `settled at ${secondHalfRate.toFixed(1)}/s`);
      assert.ok(refusedInSecondHalf / 3000 < 0.01, `${refusedInSecondHalf} of the last 3000 met a 429 (${refused} in all)`);
    });
  }
});

describe('Pacer.stop', () => {
  /** A sleep that ends only when aborted: time stands still while the pacer waits. */
  const sleepUntilAborted: Sleep = (_ms, signal) =>
    new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

  test('rejects every waiter at once, without any time passing, and every later acquire', async () => {
    const clock = fakeClock();
    const pacer = new Pacer({ target: { requests: 1, perMs: 3_600_000 }, now: clock.now, sleep: sleepUntilAborted });
    assert.equal(await pacer.acquire(), 1);
    const waiting = [pacer.acquire(), pacer.acquire(), pacer.acquire()];
    pacer.stop();
    for (const waiter of waiting) await assert.rejects(waiter, PacerStopped);
    await assert.rejects(pacer.acquire(), PacerStopped);
    assert.equal(clock.t, 0);
    assert.equal(pacer.stopped, true);
  });

  test('a sleep that ends after stop() lets nothing through', async () => {
    let wake: () => void = () => {};
    const pacer = new Pacer({ target: TEN_PER_SECOND, now: () => 0, sleep: () => new Promise((resolve) => (wake = resolve)) });
    await pacer.acquire();
    let granted = false;
    const waiter = pacer.acquire().then(
      () => (granted = true),
      (error: unknown) => error,
    );
    pacer.stop();
    wake();
    assert.ok((await waiter) instanceof PacerStopped);
    assert.equal(granted, false);
  });

  test('with real timers, stop() clears the pending timer: nothing keeps the process waiting', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    // A short interval: were the timer left behind, it would hold the test process only briefly.
    const pacer = new Pacer({ target: { requests: 1, perMs: 2000 } });
    await pacer.acquire();
    const waiting = pacer.acquire();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(timers(), before + 1, 'the pacer waits on a timer');
    pacer.stop();
    await assert.rejects(waiting, PacerStopped);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(timers(), before);
  });
});

describe('concurrency from rate and latency', () => {
  test('100/s at 80 ms: about rate × latency, with a little headroom', () => {
    const n = concurrencyFor(100, 80);
    assert.ok(n >= 8 && n <= 10, String(n));
  });
  test('within bounds', () => {
    assert.equal(concurrencyFor(9, 80), MIN_IN_FLIGHT);
    assert.equal(concurrencyFor(100, 10_000), MAX_IN_FLIGHT);
    assert.equal(concurrencyFor(Number.NaN, 80), MIN_IN_FLIGHT);
    assert.equal(concurrencyFor(100, Number.POSITIVE_INFINITY), MAX_IN_FLIGHT);
  });

  test('the in-flight limit follows the observed latency', () => {
    const limit = new InFlightLimit(100);
    assert.equal(limit.latencyMs, 100, 'assumed before the first answer');
    for (let i = 0; i < 50; i++) limit.observe(80);
    assert.ok(Math.abs(limit.latencyMs - 80) < 0.01);
    assert.equal(limit.current, concurrencyFor(100, limit.latencyMs));
    limit.observe(1000);
    assert.ok(limit.latencyMs > 80 && limit.latencyMs < 300, 'one slow answer moves it a fifth of the way');
    for (let i = 0; i < 30; i++) limit.observe(400);
    assert.ok(limit.current > concurrencyFor(100, 80), 'a slower network: more in flight');
  });

  test('observations that are no latency are ignored', () => {
    const limit = new InFlightLimit(100);
    limit.observe(60);
    for (const bad of [Number.NaN, -5, Number.POSITIVE_INFINITY]) limit.observe(bad);
    assert.equal(limit.latencyMs, 60);
  });

  test('--concurrency fixes it, whatever the latency', () => {
    const limit = new InFlightLimit(100, 4);
    for (const ms of [10, 500, 5000]) {
      limit.observe(ms);
      assert.equal(limit.current, 4);
    }
  });
});

describe('a turn within a budget', () => {
  test('a retry whose turn does not come within its budget gives its place up and is told so', async () => {
    const pacer = new Pacer({ target: { requests: 1, perMs: 1000 } });
    const first = await pacer.acquire();
    pacer.onRateLimited(first, 5_000); // everyone held back 5 s
    await assert.rejects(pacer.acquire(50), (error) => error instanceof PacerTimeout && error.budgetMs === 50);
    const unbounded = pacer.acquire();
    pacer.stop();
    await assert.rejects(unbounded, PacerStopped, 'only the waiter still in line is stopped');
  });

  test('a turn that comes within the budget is granted as usual', async () => {
    const pacer = new Pacer({ target: { requests: 1000, perMs: 1000 } });
    assert.equal(await pacer.acquire(1_000), 1);
    assert.equal(await pacer.acquire(1_000), 2);
    pacer.stop();
  });
});
