// A run's json_schema is checked before anything is spawned: the CLI would
// otherwise fail late, or the API would refuse the structured-output tool.
// The compiled validator also re-checks the CLI's structured_output.
import { MAX_JSON_SCHEMA_BYTES } from '@clawdforge/shared';
import { Ajv, type ValidateFunction } from 'ajv';
import { ApiError } from '../errors.js';

// Formats are left to the model and the CLI: ajv without ajv-formats would
// refuse schemas that use them, and the CLI validates them itself.
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });

export interface CheckedSchema {
  /** The schema as the CLI receives it (one argv entry). */
  text: string;
  validate: (value: unknown) => boolean;
}

const invalid = (reason: string) => new ApiError('invalid_request', `json_schema: ${reason}`);

export function checkJsonSchema(schema: Record<string, unknown>): CheckedSchema {
  const text = JSON.stringify(schema);
  if (Buffer.byteLength(text) > MAX_JSON_SCHEMA_BYTES) throw invalid(`larger than ${MAX_JSON_SCHEMA_BYTES} bytes serialized`);
  // The CLI hands it to the API as a tool's input_schema, which must describe an object.
  if (schema.type !== 'object') throw invalid('the root must have "type": "object"');
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : String(error));
  } finally {
    ajv.removeSchema(schema); // no cache growing with every distinct schema callers send
  }
  return { text, validate: (value) => validate(value) === true };
}
