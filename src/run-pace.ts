import type { Settings } from './config.js';
import { Pacer } from './api/pacer.js';
import { defaultRateForKey, withJitterAllowance, type Rate } from './api/rate.js';
import { isLiveKey } from './redact.js';

/**
 * The pace of a run of many requests (a batch file, `list --all`'s walk over every user): the
 * rate set (`--rate`, config `rate`), else 90% of Clerk's limit for the key. A 429 slows the pacer
 * and pauses the run instead of using up retries.
 */
export function runPace(settings: Settings, debug: (line: string) => void): { rate: Rate; pacer: Pacer } {
  const key = settings.secretKey?.value ?? '';
  const rate = settings.rate ?? {
    value: defaultRateForKey(key),
    source: `default: 90% of Clerk's limit for ${isLiveKey(key) ? 'production' : 'development'} keys`,
  };
  const pacer = new Pacer({
    target: withJitterAllowance(rate.value),
    onPaceChange: (pace) => debug(`pace now ${pace.toFixed(1)}/s (target ${pacer.targetPerSecond.toFixed(1)}/s)`),
  });
  debug(`pace: at most ${rate.value.requests} requests per ${rate.value.perMs} ms (${rate.source})`);
  return { rate: rate.value, pacer };
}
