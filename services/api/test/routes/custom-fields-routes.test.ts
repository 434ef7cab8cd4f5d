import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { accountPath, failureOf, testApi, zonePath } from '../support/api-fixture.js';

const ENTRYPOINT = zonePath('/rulesets/phases/http_log_custom_fields/entrypoint');
const PARAMETERS = {
  request_fields: [{ name: 'cf-access-user' }, { name: 'user-agent' }],
  response_fields: [{ name: 'set-cookie', preserve_duplicates: true }],
  cookie_fields: [{ name: 'session_id' }],
};

interface Ruleset {
  id: string;
  phase: string;
  kind: string;
  rules: { id: string; action: string; expression: string; enabled: boolean; action_parameters: unknown }[];
}

function ruleset(parameters: unknown = PARAMETERS): { rules: unknown[] } {
  return { rules: [{ action: 'log_custom_field', expression: 'true', action_parameters: parameters }] };
}

describe('PUT/GET /zones/{zone_id}/rulesets/phases/http_log_custom_fields/entrypoint', () => {
  test('PUT stores the rule\'s parameters for the zone, and GET answers the same ruleset', async () => {
    const api = testApi();
    const put = await api.call<Ruleset>('PUT', ENTRYPOINT, { body: ruleset() });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.body.result.phase, 'http_log_custom_fields');
    assert.equal(put.body.result.kind, 'zone');
    assert.deepEqual(put.body.result.rules.map((r) => [r.action, r.expression, r.enabled, r.action_parameters]), [['log_custom_field', 'true', true, PARAMETERS]]);
    assert.deepEqual(api.store.customFields().get('0123456789abcdef0123456789abcdef'), PARAMETERS);
    const get = await api.call<Ruleset>('GET', ENTRYPOINT);
    assert.deepEqual(get.body.result, put.body.result);
  });

  test('a GET result sent back unchanged is accepted', async () => {
    const api = testApi();
    const first = await api.call<Ruleset>('PUT', ENTRYPOINT, { body: ruleset() });
    const again = await api.call<Ruleset>('PUT', ENTRYPOINT, { body: first.body.result });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.body.result, first.body.result);
  });

  test('"rules": [] removes the custom fields; GET then answers 1008', async () => {
    const api = testApi();
    await api.call('PUT', ENTRYPOINT, { body: ruleset() });
    const cleared = await api.call<Ruleset>('PUT', ENTRYPOINT, { body: { rules: [] } });
    assert.deepEqual(cleared.body.result.rules, []);
    assert.equal(api.store.customFields().size, 0);
    const get = await api.call('GET', ENTRYPOINT);
    assert.equal(get.status, 404);
    assert.equal(failureOf(get)[0]?.code, 1008);
  });

  test('header names must be lower case, and the error points into the rule', async () => {
    const api = testApi();
    const reply = await api.call('PUT', ENTRYPOINT, { body: ruleset({ request_fields: [{ name: 'Cf-Access-User' }] }) });
    assert.equal(reply.status, 400);
    const [error] = failureOf(reply);
    assert.equal(error?.source?.pointer, '/rules/0/action_parameters/request_fields/0/name');
    assert.equal(error?.message, 'rules[0].action_parameters.request_fields[0].name: "Cf-Access-User" is not a valid header name (header names are written in lower case: "cf-access-user")');
  });

  test('the rule must be one log_custom_field rule with expression "true"', async () => {
    const api = testApi();
    const wrongAction = await api.call('PUT', ENTRYPOINT, { body: { rules: [{ action: 'block', expression: 'true', action_parameters: PARAMETERS }] } });
    assert.match(failureOf(wrongAction)[0]?.message ?? '', /^rules\[0\]\.action: "block" is not allowed; expected "log_custom_field"/);
    const twoRules = await api.call('PUT', ENTRYPOINT, { body: { rules: [ruleset().rules[0], ruleset().rules[0]] } });
    assert.match(failureOf(twoRules)[0]?.message ?? '', /^rules: .* expected a list of at most one log_custom_field rule/);
    const expression = await api.call('PUT', ENTRYPOINT, { body: { rules: [{ action: 'log_custom_field', expression: 'http.host eq "a"', action_parameters: PARAMETERS }] } });
    assert.equal(failureOf(expression)[0]?.source?.pointer, '/rules/0/expression');
    const empty = await api.call('PUT', ENTRYPOINT, { body: ruleset({}) });
    assert.match(failureOf(empty)[0]?.message ?? '', /^rules\[0\]\.action_parameters: must have at least one of request_fields/);
    const noParameters = await api.call('PUT', ENTRYPOINT, { body: { rules: [{ action: 'log_custom_field', expression: 'true' }] } });
    assert.deepEqual(failureOf(noParameters).map((e) => e.source?.pointer), ['/rules/0/action_parameters']);
    const noRules = await api.call('PUT', ENTRYPOINT, { body: {} });
    assert.match(failureOf(noRules)[0]?.message ?? '', /^rules: is required/);
  });

  test('the entrypoint exists only under zones', async () => {
    const api = testApi();
    const reply = await api.call('GET', accountPath('/rulesets/phases/http_log_custom_fields/entrypoint'));
    assert.equal(reply.status, 404);
    assert.equal(failureOf(reply)[0]?.code, 7003);
  });
});
