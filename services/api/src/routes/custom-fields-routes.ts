// Custom fields per zone through Logpush's rulesets entrypoint: one log_custom_field rule in phase http_log_custom_fields.
import { createHash } from 'node:crypto';
import { parseCustomFields } from '@sluice/pipeline';
import type { CustomFieldsDocument } from '@sluice/pipeline';
import type { Static } from '@sinclair/typebox';
import { ApiError, invalidFields } from '../api-errors.js';
import { CustomFieldsRulesetBodySchema, CustomFieldsRulesetSchema } from '../api-schemas.js';
import { checkBody } from '../body/check-body.js';
import type { BodyIssue } from '../body/check-body.js';
import type { ApiContext, RouteSpec } from '../route-spec.js';

type Ruleset = Static<typeof CustomFieldsRulesetSchema>;
type RulesetBody = Static<typeof CustomFieldsRulesetBodySchema>;

const PATH = '/rulesets/phases/http_log_custom_fields/entrypoint';
const PARAMETERS = '/rules/0/action_parameters';

export function customFieldsRoutes(ctx: ApiContext): RouteSpec[] {
  return [
    {
      method: 'GET',
      path: PATH,
      kinds: ['zones'],
      operationId: 'getCustomFieldsRuleset',
      summary: "The zone's custom fields: the request headers, response headers and cookies its http_requests records carry",
      result: CustomFieldsRulesetSchema,
      errors: ['RULESET_NOT_FOUND'],
      handle: (_request, scope) => {
        const fields = ctx.store.customFields().get(scope.id);
        if (fields === undefined) throw new ApiError('RULESET_NOT_FOUND', `could not find entrypoint ruleset in the http_log_custom_fields phase of zone ${scope.id}`);
        return Promise.resolve(toRuleset(scope.id, fields));
      },
    },
    {
      method: 'PUT',
      path: PATH,
      kinds: ['zones'],
      operationId: 'putCustomFieldsRuleset',
      summary: 'Set the zone\'s custom fields (one log_custom_field rule with expression "true"); "rules": [] removes them',
      body: CustomFieldsRulesetBodySchema,
      result: CustomFieldsRulesetSchema,
      errors: ['INVALID_FIELD'],
      handle: (request, scope) => {
        const issues = rulesetIssues(request.body);
        if (issues.length > 0) throw invalidFields(issues);
        const fields = (request.body as RulesetBody).rules[0]?.action_parameters;
        return ctx.serial(async () => {
          await ctx.store.putCustomFields(scope.id, fields ?? null);
          return toRuleset(scope.id, fields);
        });
      },
    },
  ];
}

/** The ruleset's shape from the schema, and the rule's parameters with Logpush's own rules (lower-case names, ≤ 100 each). */
function rulesetIssues(body: unknown): BodyIssue[] {
  const shape = checkBody(CustomFieldsRulesetBodySchema, body);
  // The parameters get parseCustomFields' messages, which say more than the schema's.
  const outside = shape.filter((issue) => !issue.path.startsWith(`${PARAMETERS}/`));
  if (outside.some((issue) => issue.path === PARAMETERS || issue.path === '' || issue.path === '/rules' || issue.path === '/rules/0')) return outside;
  const rules = (body as { rules?: { action_parameters?: unknown }[] }).rules;
  const parameters = Array.isArray(rules) ? rules[0]?.action_parameters : undefined;
  if (parameters === undefined) return outside;
  const parsed = parseCustomFields(parameters);
  return parsed.ok ? outside : [...outside, ...parsed.issues.map((issue) => ({ path: `${PARAMETERS}${issue.path}`, message: issue.message }))];
}

/**
 * Sluice keeps only the rule's parameters: the ruleset's ids are derived from the zone, its version is
 * always "1", names and descriptions sent are not kept. A GET result may be sent back as it is.
 */
function toRuleset(zoneId: string, fields: CustomFieldsDocument | undefined): Ruleset {
  const ruleId = derivedId(`rule/${zoneId}`);
  return {
    id: derivedId(`ruleset/${zoneId}`),
    name: 'default',
    description: '',
    kind: 'zone',
    phase: 'http_log_custom_fields',
    version: '1',
    rules:
      fields === undefined
        ? []
        : [{ id: ruleId, ref: ruleId, version: '1', action: 'log_custom_field', action_parameters: fields, expression: 'true', description: '', enabled: true }],
  };
}

function derivedId(text: string): string {
  return createHash('sha256').update(`sluice/http_log_custom_fields/${text}`).digest('hex').slice(0, 32);
}
