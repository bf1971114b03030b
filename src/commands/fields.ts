import type { UpdatePhoneNumberBody } from '../api/phone-numbers.js';

/** The boolean flags create and update share, as commander parses `--x` / `--no-x` (undefined when absent). */
export interface PhoneNumberFlags {
  verified?: boolean;
  primary?: boolean;
  reservedForSecondFactor?: boolean;
}

/** Only the fields the user gave: `--no-verified` sends false, an absent flag sends nothing. */
export function fieldsFromFlags(flags: PhoneNumberFlags): UpdatePhoneNumberBody {
  const fields: UpdatePhoneNumberBody = {};
  if (flags.verified !== undefined) fields.verified = flags.verified;
  if (flags.primary !== undefined) fields.primary = flags.primary;
  if (flags.reservedForSecondFactor !== undefined) fields.reserved_for_second_factor = flags.reservedForSecondFactor;
  return fields;
}
