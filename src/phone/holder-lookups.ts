import type { ClerkClient } from '../api/client.js';
import type { PhoneNumber } from '../api/phone-numbers.js';
import { findHoldersOfNumbers, MAX_NUMBERS_PER_LOOKUP, type Holder } from '../api/users.js';

/**
 * How long a question that needs its answer now waits for others: a few unknown outcomes of the same
 * moment (a burst of 503s) share a lookup. Small beside a request's own 50-150 ms, and beside the
 * pacer's interval at a development instance's pace (110 ms).
 */
const GATHER_MS = 10;

/** A number's holders, asked for when the answer is needed: sends the lookup it is in, if not sent yet. */
export type HoldersOf = () => Promise<Holder[]>;

interface Question {
  answer: Promise<Holder[]>;
  resolve: (holders: Holder[]) => void;
  reject: (error: unknown) => void;
  sent: boolean;
}

/**
 * Who holds which numbers, asked for a whole batch run in lookups of up to 100 numbers
 * (DataLoader's idea): rows hand in their numbers as they are read, and the numbers gathered go
 * out together when there are 100 of them or when a row needs an answer. A number asked again
 * after its lookup left joins the next one: an answer is never older than the question.
 */
export class HolderLookups {
  /** Numbers gathered and not sent yet, at most MAX_NUMBERS_PER_LOOKUP. */
  #gathered = new Map<string, Question>();
  #sendQueued = false;
  /** A row waits for an answer among the numbers gathered: they go out after GATHER_MS. */
  #awaited = false;

  constructor(private readonly lookup: (phoneNumbers: string[]) => Promise<Map<string, Holder[]>>) {}

  static using(client: ClerkClient): HolderLookups {
    return new HolderLookups((phoneNumbers) => findHoldersOfNumbers(client, phoneNumbers));
  }

  /** Gathers the number for the next lookup; the answer comes when asked for. */
  ask(phoneNumber: string): HoldersOf {
    let question = this.#gathered.get(phoneNumber);
    if (!question) {
      let resolve!: Question['resolve'];
      let reject!: Question['reject'];
      const answer = new Promise<Holder[]>((ok, fail) => ((resolve = ok), (reject = fail)));
      // Rows that never ask for their answer (stopped before they ran) must not make a failed lookup unhandled.
      answer.catch(() => {});
      question = { answer, resolve, reject, sent: false };
      this.#gathered.set(phoneNumber, question);
      if (this.#gathered.size >= MAX_NUMBERS_PER_LOOKUP) this.send();
    }
    const asked = question;
    return () => {
      // Sent a moment later, so the questions of rows that need an answer at about the same time go together.
      if (!asked.sent) this.#awaited = true;
      if (!asked.sent && !this.#sendQueued) {
        this.#sendQueued = true;
        setTimeout(() => {
          this.#sendQueued = false;
          // Gone out meanwhile with 100 others: the numbers gathered since can wait for theirs.
          if (this.#awaited) this.send();
        }, GATHER_MS);
      }
      return asked.answer;
    };
  }

  /** A fresh answer now: after a create was sent, what is known from before it says nothing. */
  now(phoneNumber: string): Promise<Holder[]> {
    return this.ask(phoneNumber)();
  }

  /** Sends the numbers gathered so far, if any. */
  send(): void {
    this.#awaited = false;
    if (this.#gathered.size === 0) return;
    const questions = this.#gathered;
    this.#gathered = new Map();
    for (const question of questions.values()) question.sent = true;
    this.lookup([...questions.keys()]).then(
      (holders) => {
        for (const [phoneNumber, question] of questions) question.resolve(holders.get(phoneNumber) ?? []);
      },
      (error: unknown) => {
        for (const question of questions.values()) question.reject(error);
      },
    );
  }
}

/** The user's own phone number object among the holders. */
export function heldBy(holders: readonly Holder[], userId: string): PhoneNumber | undefined {
  return holders.find((holder) => holder.userId === userId)?.phone;
}
