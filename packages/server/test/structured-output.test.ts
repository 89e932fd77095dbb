// json_schema with the fake CLI: the validated structured_output is the result;
// every way of not satisfying the schema is 422 schema_not_satisfied.
// (The real CLI's side of it is in real-claude.test.ts.)
import { describe, expect, it } from 'vitest';
import { readAuditRows } from './support/audit.js';
import { expectError } from './support/expect-error.js';
import { FAKE_CLAUDE } from './support/processes.js';
import { api, useServerWithApp } from './support/test-server.js';

const ctx = useServerWithApp({ CLAUDE_BIN: FAKE_CLAUDE });
const INGREDIENT = {
  type: 'object',
  properties: { qty: { type: 'number' }, unit: { type: 'string' }, food: { type: 'string' } },
  required: ['qty', 'unit', 'food'],
  additionalProperties: false,
};
const run = (prompt: string, jsonSchema: object = INGREDIENT) =>
  api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt, json_schema: jsonSchema } });

describe('json_schema', () => {
  it('returns the structured output as result', async () => {
    const response = await run('[[structured:{"qty":2,"unit":"cup","food":"rice"}]] two cups of rice');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ ok: true, result: { qty: 2, unit: 'cup', food: 'rice' } });
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'ok', error_code: null });
  });

  it('hands the CLI the schema as one --json-schema argument, and only when asked', async () => {
    const schema = { type: 'object', properties: { args: { type: 'array', items: { type: 'string' } } }, required: ['args'] };
    const echoed = await run('[[structured_args]]', schema);
    const args = echoed.body.result.args as string[];
    expect(JSON.parse(args[args.indexOf('--json-schema') + 1]!)).toEqual(schema);
    const plain = await api(ctx.server.url, 'POST', '/run', { token: ctx.token, body: { prompt: 'plain run' } });
    expect(plain.body.result.args).not.toContain('--json-schema');
  });

  it('answers 422 when the CLI gave up on the schema, with its reason, and audits it', async () => {
    const response = await run('[[schema_fail]]');
    expectError(response, 'schema_not_satisfied');
    expect(response.body.error.message).toContain("must have required property 'qty'");
    expect(readAuditRows(ctx.server.dataDir).at(-1)).toMatchObject({ status: 'error', error_code: 'schema_not_satisfied' });
  });

  it('answers 422 when the structured output does not match the schema after all', async () => {
    expectError(await run('[[structured:{"qty":"two","unit":"cup","food":"rice"}]]'), 'schema_not_satisfied');
    expectError(await run('[[structured:{"qty":2,"unit":"cup","food":"rice","extra":true}]]'), 'schema_not_satisfied');
  });

  it('answers 422 when the CLI succeeded without any structured output', async () => {
    expectError(await run('[[text:just prose]]'), 'schema_not_satisfied');
  });
});
