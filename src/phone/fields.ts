import type { UpdatePhoneNumberBody } from '../api/phone-numbers.js';

/**
 * The fields of a phone number that create and update may set. This table is the one list of
 * them: the commander flags and their help, the request body, the batch row columns and the
 * `--file` conflicts are all made from it. Type-only imports: help loads it.
 */
export const SETTABLE_FIELDS = [
  {
    key: 'verified',
    flag: 'verified',
    option: 'verified',
    help: {
      create: ['create the phone number as verified', 'create the phone number as not verified'],
      update: ['mark the phone number as verified', 'mark the phone number as not verified'],
    },
  },
  {
    key: 'primary',
    flag: 'primary',
    option: 'primary',
    help: {
      create: ["create it the user's primary phone number", 'do not create it the primary phone number'],
      update: ["mark it the user's primary phone number", 'do not mark it the primary phone number'],
    },
  },
  {
    key: 'reserved_for_second_factor',
    flag: 'reserved-for-second-factor',
    option: 'reservedForSecondFactor',
    help: {
      create: ['reserve it for multi-factor authentication (must be verified)', 'do not reserve it for multi-factor authentication'],
      update: ['reserve it for multi-factor authentication (must be verified)', 'do not reserve it for multi-factor authentication'],
    },
  },
] as const satisfies readonly SettableField[];

export interface SettableField {
  /** The request body's key, and the batch row's column. */
  key: keyof UpdatePhoneNumberBody;
  /** `--<flag>` sets it to true, `--no-<flag>` to false. */
  flag: string;
  /** The flag's name as commander hands it over (camel case). */
  option: string;
  /** The help of `--<flag>` and `--no-<flag>`, per command. */
  help: Record<'create' | 'update', readonly [string, string]>;
}

type Field = (typeof SETTABLE_FIELDS)[number];

/** The field flags as commander parses `--x` / `--no-x`: undefined when absent. */
export type PhoneNumberFlags = { [F in Field as F['option']]?: boolean };

/** The fields as a request body sets them. */
export type PhoneNumberFieldValues = Pick<UpdatePhoneNumberBody, Field['key']>;

export const FIELD_KEYS: readonly Field['key'][] = SETTABLE_FIELDS.map((field) => field.key);

/** Only the fields the user gave: `--no-verified` sends false, an absent flag sends nothing. */
export function fieldsFromFlags(flags: PhoneNumberFlags): PhoneNumberFieldValues {
  const fields: PhoneNumberFieldValues = {};
  for (const { key, option } of SETTABLE_FIELDS) {
    if (flags[option] !== undefined) fields[key] = flags[option];
  }
  return fields;
}

/** The field flags given, by the names `--file` conflicts report (`--[no-]verified`). */
export function fieldFlagsGiven(flags: PhoneNumberFlags): Record<string, boolean | undefined> {
  return Object.fromEntries(SETTABLE_FIELDS.map(({ flag, option }) => [`--[no-]${flag}`, flags[option]]));
}

/** `--verified, --primary, --reserved-for-second-factor`: what update needs at least one of. */
export const FIELD_FLAG_LIST = SETTABLE_FIELDS.map(({ flag }) => `--${flag}`).join(', ');
