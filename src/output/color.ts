/** A chalk color level: 0 for none. */
export type ColorLevel = 0 | 1 | 2 | 3;

/**
 * Whether to color a stream, decided once: `--no-color` turns it off; FORCE_COLOR turns it on
 * (`0`/`false` mean off), as Node does; NO_COLOR (any value) turns it off; otherwise color
 * exactly when the stream is a terminal. chalk and cli-table3 do not read NO_COLOR themselves.
 * Returns the chalk level: 0 for none.
 */
export function colorLevel(colorFlag: boolean | undefined, env: NodeJS.ProcessEnv, isTTY: boolean): ColorLevel {
  if (colorFlag === false) return 0;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    return force === '2' || force === '3' ? (Number(force) as 2 | 3) : 1;
  }
  if (env.NO_COLOR !== undefined) return 0;
  return isTTY ? 1 : 0;
}
