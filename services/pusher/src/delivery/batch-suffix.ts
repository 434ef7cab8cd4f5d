// The deterministic part of an object name: a replayed batch gets the same name and overwrites its copy.

export function batchSuffix(jobId: number, partition: number, firstOffset: number): string {
  return `job${jobId}-p${partition}-o${firstOffset}`;
}
