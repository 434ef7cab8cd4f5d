// Compiles a tail's fields and filter once, like a job: scope → decode → project → filter → render, one outcome per message.
import { closestMatch, createCustomFieldProjector, createNdjsonRenderer, compileFilter, parseFilter } from '@sluice/pipeline';
import type { CustomFieldSet, StageMessage } from '@sluice/pipeline';
import { createRecordDecoder, ZONE_ID_FIELD, ZONE_ID_HEADER } from '@sluice/schemas';
import { tailDataset } from './tail-dataset.js';

export interface TailSpec {
  zoneId: string;
  /** What each event shows, in order: http_requests fields and the zone's custom fields (`RequestHeaders.cf-access-user`). */
  fieldNames: readonly string[];
  /** Logpush filter text (`{"where": …}`); blank for every request. */
  filter: string | undefined;
  /** The zone's custom fields (none: no header, cookie or custom field can be shown or filtered). */
  customFields: CustomFieldSet;
}

export type TailOutcome =
  | { readonly kind: 'skip' }
  /** The record could not be decoded; counted, never shown. */
  | { readonly kind: 'undecodable' }
  /** One JSON object, the chosen fields in order. */
  | { readonly kind: 'event'; readonly json: string };

export interface CompiledTail {
  readonly fieldNames: readonly string[];
  stage(message: StageMessage): TailOutcome;
}

/** A problem with a query parameter: which one, and what is wrong with its value. */
export interface TailIssue {
  parameter: 'fields' | 'filter';
  message: string;
}

const SKIP: TailOutcome = { kind: 'skip' };
const UNDECODABLE: TailOutcome = { kind: 'undecodable' };
const EMPTY = Buffer.alloc(0);

export function compileTail(spec: TailSpec): { ok: true; tail: CompiledTail } | { ok: false; issues: TailIssue[] } {
  const dataset = tailDataset(spec.customFields);
  const issues: TailIssue[] = [];
  for (const name of spec.fieldNames) {
    if (dataset.field(name) !== undefined) continue;
    issues.push({ parameter: 'fields', message: unknownFieldMessage(name, dataset.fieldNames, spec) });
  }
  const filter = parseFilter(spec.filter, dataset);
  if (!filter.ok) {
    for (const issue of filter.issues) issues.push({ parameter: 'filter', message: issue.path === '' ? issue.message : `at ${issue.path}: ${issue.message}` });
  }
  if (!filter.ok || issues.length > 0) return { ok: false, issues };

  const wanted = new Set([...spec.fieldNames, ...(filter.filter?.fieldNames ?? [])]);
  // Custom fields are read from their maps: the decoder materialises the map, the projector trims it to the zone's list.
  const decoded = [...new Set([...wanted].map((name) => dataset.customFields.get(name)?.map ?? name))];
  const decode = createRecordDecoder('http_requests', { fields: decoded });
  const project = createCustomFieldProjector(spec.customFields, decoded);
  const predicate = filter.filter && compileFilter(filter.filter, dataset);
  const render = createNdjsonRenderer(dataset, { fieldNames: spec.fieldNames, timestampFormat: 'rfc3339ms', recordSuffix: '}' });
  const zoneBytes = Buffer.from(spec.zoneId, 'utf8');

  return {
    ok: true,
    tail: {
      fieldNames: spec.fieldNames,
      stage(message) {
        const header = message.headers?.[ZONE_ID_HEADER];
        const first = Array.isArray(header) ? header[0] : header;
        if (first !== undefined && !(Buffer.isBuffer(first) ? first.equals(zoneBytes) : first === spec.zoneId)) return SKIP;
        const result = decode(message.value ?? EMPTY);
        if (!result.ok) return UNDECODABLE;
        const record = result.record;
        if (first === undefined && record[ZONE_ID_FIELD] !== spec.zoneId) return SKIP;
        project?.(record);
        dataset.flatten(record);
        if (predicate && !predicate(record)) return SKIP;
        try {
          return { kind: 'event', json: render(record) };
        } catch {
          return UNDECODABLE;
        }
      },
    },
  };
}

function unknownFieldMessage(name: string, known: readonly string[], spec: TailSpec): string {
  const dot = name.indexOf('.');
  const map = dot > 0 ? name.slice(0, dot) : '';
  if (map === 'RequestHeaders' || map === 'ResponseHeaders' || map === 'Cookies') {
    const listed = known.filter((field) => field.startsWith(`${map}.`));
    return (
      `"${name}" is not a custom field of zone ${spec.zoneId} (its ${map} custom fields: ${listed.length > 0 ? listed.join(', ') : 'none'}); ` +
      'add it with PUT /zones/{zone_id}/rulesets/phases/http_log_custom_fields/entrypoint'
    );
  }
  const hint = closestMatch(name, known);
  return `"${name}" is not a field of http_requests${hint ? ` (did you mean "${hint}"?)` : ''}`;
}
