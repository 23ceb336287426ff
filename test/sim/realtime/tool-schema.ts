import { invalidRequest, isPlainObject, type SimError } from './events.js';

/**
 * What the Realtime API checks of the tools a session declares, and what a model's call
 * to one of them may contain. The sim refuses anything the real service would refuse or
 * the real model could never produce, so a test cannot pass on a tool the engine forgot
 * to declare or on arguments its own schema does not allow.
 */

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const JSON_TYPES: ReadonlySet<string> = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);

type Schema = Record<string, unknown>;

/** Returns the error the server would send for this `session.tools`, or null. */
export function checkDeclaredTools(tools: unknown): SimError | null {
  if (tools === undefined) return null;
  if (!Array.isArray(tools)) return invalidRequest('invalid_type', "Invalid type for 'session.tools': expected an array.", 'session.tools');
  const seen = new Set<string>();
  for (const [i, tool] of tools.entries()) {
    const at = `session.tools[${i}]`;
    if (!isPlainObject(tool) || tool.type !== 'function') return invalidRequest('invalid_value', `${at}.type must be 'function'.`, `${at}.type`);
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) {
      return invalidRequest('invalid_value', `${at}.name must match ^[a-zA-Z0-9_-]{1,64}$.`, `${at}.name`);
    }
    if (seen.has(tool.name)) return invalidRequest('invalid_value', `${at}.name '${tool.name}' is declared twice.`, `${at}.name`);
    seen.add(tool.name);
    if (tool.description !== undefined && typeof tool.description !== 'string') return invalidRequest('invalid_type', `${at}.description must be a string.`, `${at}.description`);
    const problem = schemaProblem(tool.parameters, `${at}.parameters`, true);
    if (problem) return invalidRequest('invalid_function_parameters', `Invalid schema for function '${tool.name}': ${problem}`, `${at}.parameters`);
  }
  return null;
}

function schemaProblem(schema: unknown, at: string, root = false): string | null {
  if (!isPlainObject(schema)) return `${at} is not a JSON schema object.`;
  if (root && schema.type !== 'object') return `${at}.type must be 'object'.`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type === undefined ? [] : [schema.type];
  if (types.some((t) => typeof t !== 'string' || !JSON_TYPES.has(t))) return `${at}.type ${JSON.stringify(schema.type)} is not a JSON schema type.`;
  if (types.length === 0 && schema.enum === undefined && schema.anyOf === undefined) return `${at} has no type.`;
  if (schema.enum !== undefined && (!Array.isArray(schema.enum) || schema.enum.length === 0)) return `${at}.enum must be a non-empty array.`;
  if (types.includes('object')) {
    const props = schema.properties ?? {};
    if (!isPlainObject(props)) return `${at}.properties must be an object.`;
    for (const [name, sub] of Object.entries(props)) {
      const problem = schemaProblem(sub, `${at}.properties.${name}`);
      if (problem) return problem;
    }
    if (schema.required !== undefined) {
      if (!Array.isArray(schema.required)) return `${at}.required must be an array.`;
      for (const r of schema.required) if (typeof r !== 'string' || !(r in props)) return `${at}.required names '${String(r)}', which is not in properties.`;
    }
  }
  if (types.includes('array') && schema.items !== undefined) return schemaProblem(schema.items, `${at}.items`);
  return null;
}

/** Why a model could not make this call with these arguments, or null when it could. */
export function callProblem(tools: unknown, name: string, args: Record<string, unknown>): string | null {
  const tool = Array.isArray(tools) ? tools.find((t) => isPlainObject(t) && t.name === name) : undefined;
  if (!tool) return `the script calls '${name}', which the session did not declare in session.update`;
  const problem = valueProblem((tool as Schema).parameters as Schema, args, 'arguments');
  return problem ? `the script calls '${name}' with ${problem}` : null;
}

function valueProblem(schema: Schema, value: unknown, at: string): string | null {
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return `${at} = ${JSON.stringify(value)}, not one of ${JSON.stringify(schema.enum)}`;
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : typeof schema.type === 'string' ? [schema.type] : [];
  if (types.length > 0 && !types.some((t) => matchesType(t, value))) return `${at} = ${JSON.stringify(value)}, not of type ${types.join('|')}`;
  if (isPlainObject(value) && types.includes('object')) {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required as string[] | undefined) ?? []) if (!(r in value)) return `${at} missing required '${r}'`;
    for (const [key, v] of Object.entries(value)) {
      const sub = props[key];
      if (!sub) return `${at} has '${key}', which the schema does not declare`;
      const problem = valueProblem(sub, v, `${at}.${key}`);
      if (problem) return problem;
    }
  }
  if (Array.isArray(value) && isPlainObject(schema.items)) {
    for (const [i, v] of value.entries()) {
      const problem = valueProblem(schema.items as Schema, v, `${at}[${i}]`);
      if (problem) return problem;
    }
  }
  return null;
}

function matchesType(type: string, value: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number';
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'array': return Array.isArray(value);
    case 'object': return isPlainObject(value);
    case 'null': return value === null;
    default: return false;
  }
}
