// Validation of orchestrion.yml documents against the project's JSON Schema (schema.json, equivalent
// to Orchestrion's). Compiled once per process, on first use.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from './schema.json' with { type: 'json' };

let validate: ValidateFunction | undefined;

export interface SchemaProblem {
  /** JSON pointer into the document (`/aspects/0/join-point`). */
  instancePath: string;
  message: string;
  /** For a key the schema does not allow there: the key, so the message can point at it. */
  unknownKey?: string;
}

/** The schema's complaints about a document, most specific first; empty when it is valid. */
export function schemaErrors(doc: unknown): SchemaProblem[] {
  validate ??= new Ajv2020({ allErrors: false, strict: false }).compile(schema);
  if (validate(doc)) return [];
  const errors = [...(validate.errors ?? [])];
  // Alternatives (oneOf/anyOf) report every branch; the deepest complaint is the one that explains.
  const depth = (e: ErrorObject) => e.instancePath.split('/').length * 2 + (['oneOf', 'anyOf', 'if', 'not'].includes(e.keyword) ? 0 : 1);
  errors.sort((a, b) => depth(b) - depth(a));
  return errors.map((e) => ({
    instancePath: e.instancePath,
    message: describe(e),
    ...(e.keyword === 'additionalProperties' ? { unknownKey: String((e.params as { additionalProperty: unknown }).additionalProperty) } : {}),
  }));
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.propertyName !== undefined) {
    // A key outside a singleton's allowed kinds: name the kind of thing from what is allowed.
    const allowedValues = Array.isArray(p.allowedValues) ? (p.allowedValues as unknown[]) : [];
    const what = allowedValues.includes('function-body')
      ? 'join point type'
      : allowedValues.includes('prepend-statements')
        ? 'advice type'
        : allowedValues.includes('signature')
          ? 'function option'
          : 'key';
    const allowed = allowedValues.length > 0 ? ` (expected one of ${allowedValues.join(', ')})` : '';
    return `unknown ${what} ${JSON.stringify(e.propertyName)}${allowed}`;
  }
  switch (e.keyword) {
    case 'maxProperties':
    case 'minProperties':
      return p.limit === 1 ? 'expected a mapping with exactly one key' : (e.message ?? e.keyword);
    case 'additionalProperties':
      return `unknown key ${JSON.stringify(p.additionalProperty)}`;
    case 'required':
      return `missing required key ${JSON.stringify(p.missingProperty)}`;
    case 'enum':
      return `${e.message} (${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})`;
    default:
      return e.message ?? e.keyword;
  }
}
