declare const PHONE_VERSION: string | undefined;

/** Set by the build from package.json, so `--version` reads no file at run time. */
export const VERSION: string = typeof PHONE_VERSION === 'string' ? PHONE_VERSION : '0.0.0-dev';
