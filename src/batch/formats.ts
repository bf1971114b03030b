/** Batch input formats; apart from the reader so help can list them without loading it. */
export const INPUT_FORMATS = ['jsonl', 'csv'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
