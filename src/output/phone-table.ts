import { Chalk } from 'chalk';
import Table from 'cli-table3';
import type { PhoneNumber } from '../api/phone-numbers.js';
import { formatTimestamp } from './timestamps.js';

type ColorLevel = 0 | 1 | 2 | 3;

function yesNo(value: unknown): string {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  return '—';
}

function text(value: unknown): string {
  return value === null || value === undefined || value === '' ? '—' : String(value);
}

function statusColor(chalk: InstanceType<typeof Chalk>, status: string): string {
  if (status === 'verified') return chalk.green(status);
  if (status === 'unverified') return chalk.yellow(status);
  if (status === 'failed' || status === 'expired') return chalk.red(status);
  return status;
}

/** One readable key/value table for a phone number; tolerant of any shape the API sends. */
export function renderPhoneNumberTable(phone: PhoneNumber, level: ColorLevel): string {
  const chalk = new Chalk({ level });
  const verification = phone.verification && typeof phone.verification === 'object' ? phone.verification : null;
  const links = Array.isArray(phone.linked_to) ? phone.linked_to : [];
  const rows: [string, string][] = [
    ['ID', text(phone.id)],
    ['Phone number', text(phone.phone_number)],
    ['Verification', verification ? statusColor(chalk, text(verification.status)) : 'none'],
    ['Strategy', text(verification?.strategy)],
    ['Reserved', yesNo(phone.reserved)],
    ['Reserved for second factor', yesNo(phone.reserved_for_second_factor)],
    ['Default second factor', yesNo(phone.default_second_factor)],
    ['Linked to', links.length ? links.map((link) => `${text(link?.type)} ${text(link?.id)}`).join(', ') : '—'],
    ['Created', formatTimestamp(phone.created_at)],
    ['Updated', formatTimestamp(phone.updated_at)],
  ];
  const table = new Table({
    // Row separators would double the height of a ten-row table without telling anything.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: [], border: level ? ['grey'] : [] },
  });
  for (const [key, value] of rows) table.push({ [level ? chalk.bold(key) : key]: value });
  return `${table.toString()}\n`;
}
