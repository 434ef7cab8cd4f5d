// What is wrong with a job, said so that a person can fix it: where, what was there, what is allowed.

export interface JobIssue {
  /** JSON-pointer-like path inside the job, e.g. `/output_options/field_names/2`. */
  path: string;
  message: string;
}

export class JobConfigError extends Error {
  readonly code = 'JOB_INVALID';
  constructor(
    readonly issues: readonly JobIssue[],
    readonly context: string,
  ) {
    super(`${context}: ${issues.map((i) => `${i.path || '(job)'}: ${i.message}`).join('; ')}`);
    this.name = 'JobConfigError';
  }
}

/** Shows a bad value the way it was written, kept short. */
export function showValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'bigint' ? value.toString() : (JSON.stringify(value) ?? `a ${typeof value}`);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
