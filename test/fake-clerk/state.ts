// In-memory model of the slice of a Clerk instance the CLI touches: users,
// their phone numbers and pending phone verifications. Every method returns
// fresh Clerk-shaped JSON objects so callers can never mutate stored state.
import { randomInt } from 'node:crypto';
import { clerkErrors } from './errors.ts';

export type AdminVerification = {
  object: 'verification_admin';
  status: 'verified';
  strategy: 'admin';
  attempts: null;
  expire_at: null;
};
export type OtpVerification = {
  object: 'verification_otp';
  status: 'verified';
  strategy: 'phone_code';
  attempts: number;
  expire_at: number;
};
export type PhoneVerification = AdminVerification | OtpVerification;

export interface PhoneNumberObject {
  id: string;
  object: 'phone_number';
  phone_number: string;
  reserved_for_second_factor: boolean;
  default_second_factor: boolean;
  reserved: boolean;
  verification: PhoneVerification | null;
  linked_to: { type: string; id: string }[];
  backup_codes: string[] | null;
  created_at: number;
  updated_at: number;
}

export type VerificationStatus = 'unverified' | 'verified' | 'expired' | 'failed';

export interface VerificationObject {
  object: 'verification';
  id: string;
  status: VerificationStatus;
  strategy: 'phone_code';
  attempts: number;
  expire_at: number;
  channel: 'sms';
}

export interface DeletedObject {
  object: 'phone_number';
  id: string;
  deleted: true;
}

/** The Clerk User object (GET /v1/users/{id}); only phone numbers are modelled, the rest is realistic filler. */
export interface FakeUser {
  id: string;
  object: 'user';
  username: string | null;
  first_name: string | null;
  last_name: string | null;
  image_url: string;
  has_image: boolean;
  primary_email_address_id: string | null;
  primary_phone_number_id: string | null;
  primary_web3_wallet_id: string | null;
  password_enabled: boolean;
  two_factor_enabled: boolean;
  totp_enabled: boolean;
  backup_code_enabled: boolean;
  email_addresses: unknown[];
  phone_numbers: PhoneNumberObject[];
  web3_wallets: unknown[];
  passkeys: unknown[];
  external_accounts: unknown[];
  saml_accounts: unknown[];
  enterprise_accounts: unknown[];
  public_metadata: Record<string, unknown>;
  private_metadata: Record<string, unknown>;
  unsafe_metadata: Record<string, unknown>;
  external_id: string | null;
  last_sign_in_at: number | null;
  banned: boolean;
  locked: boolean;
  lockout_expires_in_seconds: number | null;
  verification_attempts_remaining: number | null;
  created_at: number;
  updated_at: number;
  delete_self_enabled: boolean;
  create_organization_enabled: boolean;
  last_active_at: number | null;
  mfa_enabled_at: number | null;
  mfa_disabled_at: number | null;
  legal_accepted_at: number | null;
}

export interface NewPhoneOptions {
  verified?: boolean;
  primary?: boolean;
  reservedForSecondFactor?: boolean;
}

export interface PhonePatch {
  verified?: boolean;
  primary?: boolean;
  reservedForSecondFactor?: boolean;
}

export type IdentificationStatus = 'verified' | 'reserved' | 'unverified';

/** GET /v1/users and /v1/users/count, their parameters already checked (see routes.ts). */
export interface UserListQuery {
  /** Exact numbers (`phone_number`, up to 100): users holding any of them. Empty: no such filter. */
  phoneNumbers: string[];
  /** `phone_number_query`: case-insensitive partial match on any of the user's numbers. */
  phoneNumberQuery?: string;
  /** A field of USER_ORDER_FIELDS and its direction. */
  orderBy: { field: string; descending: boolean };
  limit: number;
  offset: number;
  /** A user's id: the users after it in the created_at ordering. */
  startingAfter?: string;
}

/** What `order_by` accepts, as Clerk's spec lists it. */
export const USER_ORDER_FIELDS = [
  'created_at',
  'updated_at',
  'email_address',
  'web3wallet',
  'first_name',
  'last_name',
  'phone_number',
  'username',
  'last_active_at',
  'last_sign_in_at',
] as const;

/** The code attempt_verification accepts, like Clerk's test-mode code. */
export const VALID_CODE = '424242';
const MAX_ATTEMPTS = 3;

interface UserRecord {
  id: string;
  firstName: string | null;
  primaryPhoneId: string | null;
  createdAt: number;
  updatedAt: number;
}

interface PhoneRecord {
  id: string;
  userId: string;
  phoneNumber: string;
  reservedForSecondFactor: boolean;
  defaultSecondFactor: boolean;
  reserved: boolean;
  verification: PhoneVerification | null;
  createdAt: number;
  updatedAt: number;
}

interface VerificationRecord {
  id: string;
  phoneId: string;
  status: VerificationStatus;
  attempts: number;
  expireAt: number;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Clerk ids are a prefix plus 27 base62 chars; real ones currently start with '2'. */
export function clerkId(prefix: string): string {
  let s = '2';
  for (let i = 0; i < 26; i++) s += BASE62[randomInt(62)];
  return `${prefix}_${s}`;
}

const adminVerification = (): AdminVerification => ({
  object: 'verification_admin',
  status: 'verified',
  strategy: 'admin',
  attempts: null,
  expire_at: null,
});

export class FakeState {
  private users = new Map<string, UserRecord>();
  /** Every user ordered by (created_at, id): a cursor is found by binary search, a page is a slice. */
  private byCreation: UserRecord[] = [];
  private phones = new Map<string, PhoneRecord>();
  // Indexes, so that seeding tens of thousands of numbers (the benchmark) stays linear.
  private phonesByUser = new Map<string, Set<PhoneRecord>>();
  private phonesByNumber = new Map<string, Set<PhoneRecord>>();
  private verifications = new Map<string, VerificationRecord>();
  private lastTs = 0;

  constructor(private readonly verificationTtlMs: number) {}

  // Strictly increasing so "updated_at was bumped" and created_at ordering hold
  // even when several mutations land in the same millisecond.
  private tick(): number {
    this.lastTs = Math.max(Date.now(), this.lastTs + 1);
    return this.lastTs;
  }

  reset(): void {
    this.users.clear();
    this.byCreation = [];
    this.phones.clear();
    this.phonesByUser.clear();
    this.phonesByNumber.clear();
    this.verifications.clear();
  }

  // ---- users ----

  addUser(opts: { id?: string; firstName?: string } = {}): FakeUser {
    const id = opts.id ?? clerkId('user');
    if (this.users.has(id)) throw new Error(`fake-clerk: user ${id} already exists`);
    const t = this.tick();
    const record: UserRecord = { id, firstName: opts.firstName ?? null, primaryPhoneId: null, createdAt: t, updatedAt: t };
    this.users.set(id, record);
    // tick() only grows, so a new user sorts last; the search keeps the order honest all the same.
    this.byCreation.splice(this.positionAfter(record), 0, record);
    return this.userObject(id)!;
  }

  userObject(id: string): FakeUser | undefined {
    const u = this.users.get(id);
    if (!u) return undefined;
    const phones = this.phonesOf(id);
    return {
      id: u.id,
      object: 'user',
      username: null,
      first_name: u.firstName,
      last_name: null,
      image_url: `https://img.clerk.com/fake/${u.id}`,
      has_image: false,
      primary_email_address_id: null,
      primary_phone_number_id: u.primaryPhoneId,
      primary_web3_wallet_id: null,
      password_enabled: false,
      two_factor_enabled: phones.some((p) => p.reservedForSecondFactor),
      totp_enabled: false,
      backup_code_enabled: false,
      email_addresses: [],
      phone_numbers: phones.map((p) => this.phoneObject(p)),
      web3_wallets: [],
      passkeys: [],
      external_accounts: [],
      saml_accounts: [],
      enterprise_accounts: [],
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: {},
      external_id: null,
      last_sign_in_at: null,
      banned: false,
      locked: false,
      lockout_expires_in_seconds: null,
      verification_attempts_remaining: 100,
      created_at: u.createdAt,
      updated_at: u.updatedAt,
      delete_self_enabled: true,
      create_organization_enabled: true,
      last_active_at: null,
      mfa_enabled_at: null,
      mfa_disabled_at: null,
      legal_accepted_at: null,
    };
  }

  allUsers(): FakeUser[] {
    return [...this.users.keys()].map((id) => this.userObject(id)!);
  }

  /**
   * GET /v1/users. The created_at orderings walk the creation order from the cursor (or an end)
   * and stop after `limit` matches, so a page costs the same anywhere in 20,000 users; the other
   * orderings sort the matching users (created_at breaking ties).
   */
  listUsers(q: UserListQuery): FakeUser[] {
    const match = this.matcher(q);
    const { field, descending } = q.orderBy;
    const page: UserRecord[] = [];
    if (field === 'created_at') {
      let skip = q.offset;
      const cursor = q.startingAfter === undefined ? undefined : this.users.get(q.startingAfter);
      if (q.startingAfter !== undefined && !cursor)
        throw clerkErrors.paramValueInvalid('starting_after', 'starting_after must be the id of an existing user.');
      const step = descending ? -1 : 1;
      let i = cursor ? this.positionAfter(cursor) + (descending ? -2 : 0) : descending ? this.byCreation.length - 1 : 0;
      for (; i >= 0 && i < this.byCreation.length && page.length < q.limit; i += step) {
        const user = this.byCreation[i]!;
        if (!match(user)) continue;
        if (skip > 0) skip--;
        else page.push(user);
      }
    } else {
      const key = (u: UserRecord) => this.sortKey(u, field);
      const sorted = this.byCreation.filter(match).map((u) => ({ u, k: key(u) }));
      sorted.sort((a, b) => compareKeys(a.k, b.k) * (descending ? -1 : 1) || a.u.createdAt - b.u.createdAt);
      page.push(...sorted.slice(q.offset, q.offset + q.limit).map(({ u }) => u));
    }
    return page.map((u) => this.userObject(u.id)!);
  }

  /** GET /v1/users/count: the users the same filters match. */
  countUsers(q: Pick<UserListQuery, 'phoneNumbers' | 'phoneNumberQuery'>): number {
    const match = this.matcher(q);
    let n = 0;
    for (const user of this.byCreation) if (match(user)) n++;
    return n;
  }

  private matcher(q: Pick<UserListQuery, 'phoneNumbers' | 'phoneNumberQuery'>): (u: UserRecord) => boolean {
    const holders = new Set(q.phoneNumbers.flatMap((number) => [...(this.phonesByNumber.get(number) ?? [])].map((p) => p.userId)));
    const needle = q.phoneNumberQuery?.toLowerCase();
    return (u) =>
      (q.phoneNumbers.length === 0 || holders.has(u.id)) &&
      (needle === undefined || this.phonesOf(u.id).some((p) => p.phoneNumber.toLowerCase().includes(needle)));
  }

  /** Index of the first user that sorts after `record` by (created_at, id). */
  private positionAfter(record: UserRecord): number {
    let low = 0;
    let high = this.byCreation.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const other = this.byCreation[mid]!;
      if (other.createdAt < record.createdAt || (other.createdAt === record.createdAt && other.id <= record.id)) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private sortKey(u: UserRecord, field: string): string | number | null {
    if (field === 'updated_at') return u.updatedAt;
    if (field === 'first_name') return u.firstName;
    if (field === 'phone_number') return this.phonesOf(u.id).find((p) => p.id === u.primaryPhoneId)?.phoneNumber ?? null;
    return null; // fields the fake does not model (email_address, username, …) are all null
  }

  // ---- phone numbers ----

  allPhoneNumbers(): PhoneNumberObject[] {
    return [...this.phones.values()].map((p) => this.phoneObject(p));
  }

  getPhone(id: string): PhoneNumberObject {
    return this.phoneObject(this.requirePhone(id));
  }

  /** Direct insert for test setup: no validation beyond the user existing. */
  seedPhone(userId: string, phoneNumber: string, opts: NewPhoneOptions = {}): PhoneNumberObject {
    if (!this.users.has(userId)) throw new Error(`fake-clerk: no user ${userId}`);
    return this.phoneObject(this.insertPhone(userId, phoneNumber, opts.verified ? adminVerification() : null, false, opts));
  }

  createPhone(userId: string, phoneNumber: string, opts: NewPhoneOptions): PhoneNumberObject {
    if (!this.users.has(userId)) throw clerkErrors.notFound();
    if (opts.reservedForSecondFactor && !opts.verified) {
      throw clerkErrors.paramValueInvalid(
        'reserved_for_second_factor',
        'A phone number can only be reserved for second factor when it is verified.',
      );
    }
    if ([...(this.phonesByNumber.get(phoneNumber) ?? [])].some((p) => p.userId === userId)) throw clerkErrors.phoneTaken();
    this.assertNotClaimedElsewhere(userId, phoneNumber);
    return this.phoneObject(this.insertPhone(userId, phoneNumber, opts.verified ? adminVerification() : null, false, opts));
  }

  updatePhone(id: string, patch: PhonePatch): PhoneNumberObject {
    const p = this.requirePhone(id);
    // Decide everything before mutating so a rejected PATCH changes nothing.
    let verification = p.verification;
    if (patch.verified === true && !verification) {
      this.assertNotClaimedElsewhere(p.userId, p.phoneNumber);
      verification = adminVerification();
    } else if (patch.verified === false) {
      verification = null;
    }
    const reservedForSecondFactor = patch.reservedForSecondFactor ?? p.reservedForSecondFactor;
    if (reservedForSecondFactor && !verification) {
      throw clerkErrors.paramValueInvalid(
        'reserved_for_second_factor',
        'A phone number can only be reserved for second factor when it is verified.',
      );
    }
    const t = this.tick();
    p.verification = verification;
    this.setSecondFactor(p, reservedForSecondFactor);
    if (patch.primary === true) this.users.get(p.userId)!.primaryPhoneId = p.id;
    p.updatedAt = t;
    this.users.get(p.userId)!.updatedAt = t;
    return this.phoneObject(p);
  }

  deletePhone(id: string): DeletedObject {
    const p = this.requirePhone(id);
    this.removePhone(p);
    this.users.get(p.userId)!.updatedAt = this.tick();
    return { object: 'phone_number', id, deleted: true };
  }

  replaceUserPhone(userId: string, phoneNumber: string, status: IdentificationStatus): PhoneNumberObject {
    if (!this.users.has(userId)) throw clerkErrors.notFound();
    this.assertNotClaimedElsewhere(userId, phoneNumber);
    for (const p of this.phonesOf(userId)) this.removePhone(p);
    const verification = status === 'verified' ? adminVerification() : null;
    return this.phoneObject(this.insertPhone(userId, phoneNumber, verification, status === 'reserved', { primary: true }));
  }

  // ---- verifications ----

  prepareVerification(phoneId: string): VerificationObject {
    this.requirePhone(phoneId);
    const v: VerificationRecord = {
      id: clerkId('ver'),
      phoneId,
      status: 'unverified',
      attempts: 0,
      expireAt: Date.now() + this.verificationTtlMs,
    };
    this.verifications.set(v.id, v);
    return this.verificationObject(v);
  }

  attemptVerification(phoneId: string, verificationId: string, code: string): VerificationObject {
    const p = this.requirePhone(phoneId);
    const v = this.verifications.get(verificationId);
    if (!v || v.phoneId !== phoneId) throw clerkErrors.notFound();
    if (v.status === 'verified') throw clerkErrors.verificationAlreadyVerified();
    if (v.status === 'unverified' && Date.now() > v.expireAt) v.status = 'expired';
    // Per the spec, expired/failed are reported through the status, not as errors.
    if (v.status !== 'unverified') return this.verificationObject(v);

    if (code === VALID_CODE) {
      if (!p.verification) this.assertNotClaimedElsewhere(p.userId, p.phoneNumber);
      v.attempts += 1;
      v.status = 'verified';
      if (!p.verification) {
        p.verification = {
          object: 'verification_otp',
          status: 'verified',
          strategy: 'phone_code',
          attempts: v.attempts,
          expire_at: v.expireAt,
        };
        const t = this.tick();
        p.updatedAt = t;
        this.users.get(p.userId)!.updatedAt = t;
      }
    } else {
      v.attempts += 1;
      if (v.attempts >= MAX_ATTEMPTS) v.status = 'failed';
    }
    return this.verificationObject(v);
  }

  // ---- internals ----

  private phonesOf(userId: string): PhoneRecord[] {
    return [...(this.phonesByUser.get(userId) ?? [])];
  }

  private requirePhone(id: string): PhoneRecord {
    const p = this.phones.get(id);
    if (!p) throw clerkErrors.notFound();
    return p;
  }

  // Unverified numbers may sit on several users until one verifies; a verified
  // or reserved one locks the number for everybody else.
  private assertNotClaimedElsewhere(userId: string, phoneNumber: string): void {
    for (const p of this.phonesByNumber.get(phoneNumber) ?? []) {
      if (p.userId !== userId && (p.verification || p.reserved)) {
        throw clerkErrors.phoneTaken();
      }
    }
  }

  private insertPhone(
    userId: string,
    phoneNumber: string,
    verification: PhoneVerification | null,
    reserved: boolean,
    opts: NewPhoneOptions,
  ): PhoneRecord {
    const t = this.tick();
    const user = this.users.get(userId)!;
    const p: PhoneRecord = {
      id: clerkId('idn'),
      userId,
      phoneNumber,
      reservedForSecondFactor: false,
      defaultSecondFactor: false,
      reserved,
      verification,
      createdAt: t,
      updatedAt: t,
    };
    this.phones.set(p.id, p);
    indexAdd(this.phonesByUser, userId, p);
    indexAdd(this.phonesByNumber, phoneNumber, p);
    this.setSecondFactor(p, !!opts.reservedForSecondFactor);
    if (opts.primary || !user.primaryPhoneId) user.primaryPhoneId = p.id;
    user.updatedAt = t;
    return p;
  }

  private removePhone(p: PhoneRecord): void {
    this.setSecondFactor(p, false);
    this.phones.delete(p.id);
    this.phonesByUser.get(p.userId)?.delete(p);
    this.phonesByNumber.get(p.phoneNumber)?.delete(p);
    for (const v of this.verifications.values()) if (v.phoneId === p.id) this.verifications.delete(v.id);
    const user = this.users.get(p.userId)!;
    // Assumption: Clerk falls back to the oldest remaining number rather than leaving no primary.
    if (user.primaryPhoneId === p.id) user.primaryPhoneId = this.phonesOf(p.userId)[0]?.id ?? null;
  }

  // The first reserved second factor becomes the default; losing the default promotes the next one.
  private setSecondFactor(p: PhoneRecord, reserved: boolean): void {
    const others = this.phonesOf(p.userId).filter((o) => o.id !== p.id && o.reservedForSecondFactor);
    if (reserved && !p.reservedForSecondFactor) {
      p.reservedForSecondFactor = true;
      p.defaultSecondFactor = !others.some((o) => o.defaultSecondFactor);
    } else if (!reserved && p.reservedForSecondFactor) {
      p.reservedForSecondFactor = false;
      if (p.defaultSecondFactor && others.length > 0) others[0].defaultSecondFactor = true;
      p.defaultSecondFactor = false;
    }
  }

  private phoneObject(p: PhoneRecord): PhoneNumberObject {
    return {
      id: p.id,
      object: 'phone_number',
      phone_number: p.phoneNumber,
      reserved_for_second_factor: p.reservedForSecondFactor,
      default_second_factor: p.defaultSecondFactor,
      reserved: p.reserved,
      verification: p.verification ? { ...p.verification } : null,
      linked_to: [],
      backup_codes: null,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
    };
  }

  private verificationObject(v: VerificationRecord): VerificationObject {
    return {
      object: 'verification',
      id: v.id,
      status: v.status,
      strategy: 'phone_code',
      attempts: v.attempts,
      expire_at: v.expireAt,
      channel: 'sms',
    };
  }
}

/** Nulls last, as SQL's ascending order puts them. */
function compareKeys(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function indexAdd<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(value);
}
