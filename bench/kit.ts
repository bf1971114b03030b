// What bench/run.ts measures with, handed to the cases kept in their own files (run.ts runs on import).

/** A measured figure against its baseline; record() adds the median and quartiles of the samples. */
export interface Measured {
  case: string;
  unit: string;
  baselineName: string;
  baselineMedian: number;
  ratio: number;
  target: string;
  pass: boolean;
}

export interface BenchKit {
  bin: string;
  scratch: string;
  here: string;
  /** Runs node with these arguments; a non-zero exit throws with the end of stderr. */
  checked(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string; stderr: string }>;
  interleaved(a: () => Promise<number>, b: () => Promise<number>, rounds: number, warmup?: number): Promise<{ as: number[]; bs: number[] }>;
  quantile(samples: number[], q: number): number;
  record(row: Measured, samples: number[]): void;
}
