// How the jobs commands name a job in their output: `audit (id 3)`, or `job 3` when it has no name.

export function jobLabel(name: string | null, id: number | undefined): string {
  if (name === null || name === '') return id === undefined ? 'a job' : `job ${id}`;
  return id === undefined ? name : `${name} (id ${id})`;
}
