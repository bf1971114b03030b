/**
 * What a server may really send for a spec type T: every field may be missing, string enums are
 * open (Clerk adds strategies and statuses), and unknown fields may appear. Clerk's SDKs crashed
 * on exactly these; reading through this type makes the compiler insist on checks instead.
 */
export type Received<T> = T extends readonly (infer Item)[]
  ? Received<Item>[]
  : T extends object
    ? { [Key in keyof T]?: Received<T[Key]> } & { [key: string]: unknown }
    : T extends string
      ? string
      : T;

/** A JSON object: not null, not a list (both are `object` to typeof). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
