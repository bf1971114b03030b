/** A request as `--dry-run` shows it: what would be sent, the key redacted. */
export interface RequestPreview {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * Thrown by the client instead of sending a request that would change data under --dry-run.
 * Reads (a lookup by number) still go out, so the preview names the real target.
 */
export class DryRunStop extends Error {
  constructor(readonly preview: RequestPreview) {
    super(`dry run: ${preview.method} ${preview.url} not sent`);
    this.name = 'DryRunStop';
  }
}
