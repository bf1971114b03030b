/**
 * Objects and lists an answer may hold before it is parsed. Parsing costs heap per container, not
 * per byte: a 1 MiB `[{},{},…]` is 350,000 objects, and a batch parsing one such answer per row grew
 * to 200 MB (measured; 65 MB with this bound). Clerk's largest answer here (100 users found by
 * number, each with its identifiers) holds a few thousand.
 */
export const MAX_JSON_CONTAINERS = 50_000;

/**
 * JSON.parse, unless the text opens more than MAX_JSON_CONTAINERS objects and lists (counted with
 * strings included: an upper bound on what the parse would build). Throws `too_many_containers`
 * for that, and SyntaxError for text that is not JSON.
 */
export function parseBoundedJson(text: string, maxContainers = MAX_JSON_CONTAINERS): unknown {
  let containers = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code === 0x7b || code === 0x5b) && ++containers > maxContainers) throw new TooManyContainers(maxContainers);
  }
  return JSON.parse(text);
}

export class TooManyContainers extends Error {
  constructor(max = MAX_JSON_CONTAINERS) {
    super(`more than ${max} JSON objects and lists`);
    this.name = 'TooManyContainers';
  }
}
