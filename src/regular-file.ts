import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** Settings and key files are small; anything larger is not one (or is an attack on memory). */
export const MAX_SETTINGS_FILE_BYTES = 1024 * 1024;

/** Why a path could not be read; the message is safe to show (it never holds the file's text). */
export class FileProblem extends Error {}

export interface RegularFile {
  text: string;
  /** Permission bits, for the warning about keys others can read. */
  mode: number;
}

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a FIFO';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a settings file: a regular file of at most 1 MiB, or null when nothing is at the path.
 * The type is checked on the opened descriptor, not on the path beforehand, so nothing can be
 * swapped in between; O_NONBLOCK keeps the open of a FIFO from waiting for a writer.
 */
export function readRegularFile(path: string): RegularFile | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new FileProblem(`cannot be opened (${code ?? 'unknown error'})`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new FileProblem(`is ${kindOf(stats)}, not a regular file`);
    if (stats.size > MAX_SETTINGS_FILE_BYTES) throw new FileProblem('is larger than 1 MiB');
    // Read up to one byte past the limit whatever fstat said: the file may have grown since.
    const buffer = Buffer.allocUnsafe(MAX_SETTINGS_FILE_BYTES + 1);
    let length = 0;
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = readSync(fd, buffer, length, buffer.length - length, null);
    }
    if (length > MAX_SETTINGS_FILE_BYTES) throw new FileProblem('is larger than 1 MiB');
    return { text: buffer.toString('utf8', 0, length), mode: stats.mode & 0o777 };
  } catch (error) {
    if (error instanceof FileProblem) throw error;
    throw new FileProblem(`cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  } finally {
    closeSync(fd);
  }
}
