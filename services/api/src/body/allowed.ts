// Marks a schema with the text validation errors quote as what may be written there (the pipeline's convention).
import type { TSchema } from '@sinclair/typebox';

export function allowed<T extends TSchema>(schema: T, text: string): T & { allowed: string } {
  return { ...schema, allowed: text };
}
