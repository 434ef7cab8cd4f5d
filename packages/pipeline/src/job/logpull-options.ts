// The legacy `logpull_options` string, converted to the `output_options` it stands for.
import type { JobIssue } from './job-issue.js';
import { showValue } from './job-issue.js';
import type { OutputOptionsDocument } from './job-schema.js';
import { closestMatch } from './suggest.js';

const KEYS = ['fields', 'timestamps', 'sample', 'CVE-2021-44228'] as const;
const TIMESTAMPS = ['unixnano', 'unix', 'rfc3339'] as const;

export type LogpullConversion = { ok: true; outputOptions: OutputOptionsDocument } | { ok: false; issues: JobIssue[] };

/**
 * `fields=ClientIP,RayID&timestamps=rfc3339&sample=0.1&CVE-2021-44228=true` becomes
 * `{"field_names":["ClientIP","RayID"],"timestamp_format":"rfc3339","sample_rate":0.1,"CVE-2021-44228":true}`,
 * following Logpush's migration guide. Issue paths are `/logpull_options`.
 */
export function convertLogpullOptions(text: string): LogpullConversion {
  const issues: JobIssue[] = [];
  const problem = (message: string): void => void issues.push({ path: '/logpull_options', message });
  const options: OutputOptionsDocument = {};
  const query = text.replace(/^[?&]/, '');
  const params = new URLSearchParams(query);
  const seen = new Set<string>();
  for (const [key, value] of params) {
    if (seen.has(key)) problem(`"${key}" is given twice`);
    seen.add(key);
    switch (key) {
      case 'fields': {
        const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
        if (names.length === 0) problem('fields= lists no fields; expected e.g. fields=ClientIP,EdgeStartTimestamp,RayID');
        else options.field_names = names;
        break;
      }
      case 'timestamps':
        if ((TIMESTAMPS as readonly string[]).includes(value)) options.timestamp_format = value as (typeof TIMESTAMPS)[number];
        else problem(`timestamps=${showValue(value)} is not allowed; expected ${TIMESTAMPS.join(', ')}`);
        break;
      case 'sample': {
        const rate = Number(value);
        if (value.trim() !== '' && Number.isFinite(rate) && rate > 0 && rate <= 1) options.sample_rate = rate;
        else problem(`sample=${showValue(value)} is not allowed; expected a number greater than 0 and at most 1`);
        break;
      }
      case 'CVE-2021-44228':
        if (value === 'true' || value === 'false') options['CVE-2021-44228'] = value === 'true';
        else problem(`CVE-2021-44228=${showValue(value)} is not allowed; expected true or false`);
        break;
      default: {
        const hint = closestMatch(key, KEYS);
        problem(`"${key}" is not a logpull option${hint ? ` (did you mean "${hint}"?)` : ''}; expected ${KEYS.join(', ')}`);
      }
    }
  }
  if (options.field_names === undefined && !issues.some((i) => i.message.startsWith('fields='))) {
    problem('has no fields=; expected e.g. fields=ClientIP,EdgeStartTimestamp,RayID');
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, outputOptions: options };
}
