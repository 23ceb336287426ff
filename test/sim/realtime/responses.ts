import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * OpenAI's Responses endpoint (`POST /v1/responses`), scripted: each request takes the next
 * queued step (a function call or a text), and the request must be one the real API
 * accepts: known parameters only, well-formed input items, every function call in the input
 * answered by a function_call_output, function names the request's tools declare. What it
 * had to refuse is in `refusals`; tests fail on any.
 */

export type ResponseStep = { call: string; arguments: Record<string, unknown> } | { say: string } | { json: Record<string, unknown> } | { fail: number };

export interface ResponsesRequest {
  at: number;
  body: Record<string, any>;
  status: number;
}

const KNOWN_PARAMS = new Set([
  'model', 'input', 'instructions', 'tools', 'tool_choice', 'store', 'temperature', 'top_p', 'text', 'max_output_tokens',
  'parallel_tool_calls', 'metadata', 'previous_response_id', 'user', 'truncation', 'reasoning', 'stream', 'include', 'safety_identifier',
]);
const ROLES = new Set(['user', 'assistant', 'system', 'developer']);
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const id = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`;

class Refusal extends Error {
  constructor(readonly status: number, readonly code: string | null, message: string, readonly param: string | null = null) {
    super(message);
  }
}

export class ResponsesSim {
  readonly requests: ResponsesRequest[] = [];
  readonly refusals: string[] = [];
  private readonly steps: ResponseStep[] = [];
  private readonly structuredSteps: ResponseStep[] = [];

  constructor(private readonly apiKey: string) {}

  /** The next conversational requests (the text assistant) answer with these, in order. */
  queue(...steps: ResponseStep[]): void {
    this.steps.push(...steps);
  }

  /**
   * The next structured-output requests (after-call summaries, `text.format` json_schema)
   * answer with these; with none queued, the sim answers with a plain value of the schema
   * (first enum value, 5, false, null), as a model would answer something.
   */
  queueStructured(...steps: ResponseStep[]): void {
    this.structuredSteps.push(...steps);
  }

  /** The requests of the text assistant, without the summaries made after calls. */
  get conversational(): ResponsesRequest[] {
    return this.requests.filter((r) => r.body.text?.format?.type !== 'json_schema');
  }

  get pending(): number {
    return this.steps.length;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
    const record: ResponsesRequest = { at: Date.now(), body: {}, status: 0 };
    this.requests.push(record);
    const send = (status: number, body: unknown) => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': id('req') });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      return send(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    }
    try {
      const body = JSON.parse(raw) as Record<string, any>;
      record.body = body;
      const tools = validate(body);
      const structured = body.text?.format?.type === 'json_schema';
      const step = structured ? (this.structuredSteps.shift() ?? { json: exampleOf(body.text.format.schema) as Record<string, unknown> }) : this.steps.shift();
      if (!step) throw new Refusal(500, null, 'the responses sim has no scripted step left');
      if ('fail' in step) return send(step.fail, { error: { message: `scripted failure ${step.fail}`, type: 'server_error', param: null, code: null } });
      if ('call' in step && !tools.has(step.call)) throw new Refusal(500, null, `the script calls ${step.call}, which the request's tools do not declare`);
      const format = body.text?.format;
      if ('json' in step) {
        if (format?.type !== 'json_schema') throw new Refusal(500, null, 'the script answers with JSON, but the request asked for no json_schema');
        const problem = conforms(step.json, format.schema, '$');
        if (problem) throw new Refusal(500, null, `the scripted JSON breaks the request's schema (a strict schema guarantees it would not): ${problem}`);
      }
      send(200, responseObject(body, step));
    } catch (err) {
      const refusal = err instanceof Refusal ? err : new Refusal(400, null, `We could not parse the JSON body of your request. (${String(err)})`);
      this.refusals.push(refusal.message);
      send(refusal.status, { error: { message: refusal.message, type: 'invalid_request_error', param: refusal.param, code: refusal.code } });
    }
  }
}

/** The request as the real endpoint checks it; returns the declared function names. */
function validate(body: Record<string, any>): Set<string> {
  for (const key of Object.keys(body)) if (!KNOWN_PARAMS.has(key)) throw new Refusal(400, 'unknown_parameter', `Unknown parameter: '${key}'.`, key);
  if (typeof body.model !== 'string' || !body.model) throw new Refusal(400, 'missing_required_parameter', "Missing required parameter: 'model'.", 'model');
  if (body.instructions !== undefined && typeof body.instructions !== 'string') throw new Refusal(400, 'invalid_type', "Invalid type for 'instructions': expected a string.", 'instructions');
  const tools = new Set<string>();
  for (const [i, tool] of (Array.isArray(body.tools) ? body.tools : []).entries()) {
    if (tool?.type !== 'function') throw new Refusal(400, 'invalid_value', `Invalid value for 'tools[${i}].type'.`, `tools[${i}].type`);
    if (typeof tool.name !== 'string' || !TOOL_NAME.test(tool.name)) throw new Refusal(400, 'invalid_value', `Invalid 'tools[${i}].name'.`, `tools[${i}].name`);
    if (typeof tool.parameters !== 'object' || tool.parameters === null || tool.parameters.type !== 'object') {
      throw new Refusal(400, 'invalid_function_parameters', `Invalid schema for function '${tool.name}'.`, `tools[${i}].parameters`);
    }
    tools.add(tool.name);
  }
  const format = body.text?.format;
  if (format !== undefined) {
    if (format.type === 'json_schema') {
      if (typeof format.name !== 'string' || !TOOL_NAME.test(format.name)) throw new Refusal(400, 'invalid_value', "Invalid 'text.format.name'.", 'text.format.name');
      if (typeof format.schema !== 'object' || format.schema === null) throw new Refusal(400, 'missing_required_parameter', "Missing required parameter: 'text.format.schema'.", 'text.format.schema');
      if (format.strict === true) {
        const problem = strictProblem(format.schema, '()');
        if (problem) throw new Refusal(400, 'invalid_json_schema', `Invalid schema for response_format '${format.name}': ${problem}`, 'text.format.schema');
      }
    } else if (format.type !== 'text' && format.type !== 'json_object') {
      throw new Refusal(400, 'invalid_value', `Invalid value: '${String(format.type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.`, 'text.format.type');
    }
  }
  const input = typeof body.input === 'string' ? [{ role: 'user', content: body.input }] : body.input;
  if (!Array.isArray(input) || input.length === 0) throw new Refusal(400, 'missing_required_parameter', "Missing required parameter: 'input'.", 'input');
  const calls = new Set<string>();
  const answered = new Set<string>();
  for (const [i, item] of input.entries()) {
    const type = item?.type ?? 'message';
    if (type === 'message') {
      if (!ROLES.has(item.role)) throw new Refusal(400, 'invalid_value', `Invalid value for 'input[${i}].role'.`, `input[${i}].role`);
      if (typeof item.content !== 'string' && !Array.isArray(item.content)) throw new Refusal(400, 'invalid_type', `Invalid type for 'input[${i}].content'.`, `input[${i}].content`);
    } else if (type === 'function_call') {
      if (typeof item.call_id !== 'string' || typeof item.name !== 'string' || typeof item.arguments !== 'string') {
        throw new Refusal(400, 'missing_required_parameter', `input[${i}]: a function_call needs call_id, name and arguments (a JSON string).`, `input[${i}]`);
      }
      calls.add(item.call_id);
    } else if (type === 'function_call_output') {
      if (typeof item.call_id !== 'string' || typeof item.output !== 'string') throw new Refusal(400, 'invalid_type', `input[${i}]: a function_call_output needs call_id and output (a string).`, `input[${i}]`);
      if (!calls.has(item.call_id)) throw new Refusal(400, null, `No tool call found for function call output with call_id ${item.call_id}.`, 'input');
      answered.add(item.call_id);
    } else {
      throw new Refusal(400, 'invalid_value', `Invalid value: '${String(type)}'. Supported input item types are message, function_call, function_call_output.`, `input[${i}].type`);
    }
  }
  for (const callId of calls) if (!answered.has(callId)) throw new Refusal(400, null, `No tool output found for function call ${callId}.`, 'input');
  return tools;
}

/** Strict structured outputs require every object to close its properties and require all of them. */
function strictProblem(schema: any, context: string): string | null {
  if (schema?.type === 'object' || (Array.isArray(schema?.type) && schema.type.includes('object'))) {
    if (schema.additionalProperties !== false) return `In context=${context}, 'additionalProperties' is required to be supplied and to be false.`;
    const keys = Object.keys(schema.properties ?? {});
    const required = new Set<string>(schema.required ?? []);
    const missing = keys.filter((k) => !required.has(k));
    if (missing.length > 0) return `In context=${context}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing[0]}'.`;
    for (const k of keys) {
      const inner = strictProblem(schema.properties[k], `('properties', '${k}')`);
      if (inner) return inner;
    }
  }
  if (schema?.items) return strictProblem(schema.items, `${context}, 'items'`);
  return null;
}

/** A plain value of a schema: what the default model answers when no structured step is queued. */
function exampleOf(schema: any): unknown {
  const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
  if (schema?.enum) return schema.enum[0];
  if (type === 'object') return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, exampleOf(v)]));
  if (type === 'string') return 'A summary of the conversation.';
  if (type === 'integer' || type === 'number') return 5;
  if (type === 'boolean') return false;
  if (type === 'array') return [];
  return null;
}

/** Whether a value fits a (simple) JSON schema: types, enums, required keys, no extra keys. */
function conforms(value: unknown, schema: any, path: string): string | null {
  const types: string[] = Array.isArray(schema?.type) ? schema.type : schema?.type ? [schema.type] : [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  const t = typeOf(value);
  if (types.length > 0 && !types.includes(t) && !(t === 'integer' && types.includes('number'))) return `${path} is ${t}, not ${types.join(' or ')}`;
  if (schema?.enum && !schema.enum.includes(value)) return `${path} is not one of ${schema.enum.join(', ')}`;
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in obj)) return `${path}.${key} is missing`;
    for (const [key, v] of Object.entries(obj)) {
      if (!(key in (schema.properties ?? {}))) return `${path}.${key} is not in the schema`;
      const inner = conforms(v, schema.properties[key], `${path}.${key}`);
      if (inner) return inner;
    }
  }
  return null;
}

function responseObject(body: Record<string, any>, step: Exclude<ResponseStep, { fail: number }>): Record<string, unknown> {
  const text = 'say' in step ? step.say : 'json' in step ? JSON.stringify(step.json) : '';
  const output =
    'call' in step
      ? [{ type: 'function_call', id: id('fc'), call_id: id('call'), name: step.call, arguments: JSON.stringify(step.arguments), status: 'completed' }]
      : [{ type: 'message', id: id('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text, annotations: [] }] }];
  const inputTokens = Math.ceil(JSON.stringify(body.input ?? '').length / 4) + Math.ceil(String(body.instructions ?? '').length / 4);
  const outputTokens = Math.ceil(JSON.stringify(output).length / 4);
  return {
    id: id('resp'),
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'completed',
    error: null,
    incomplete_details: null,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    output,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: body.store ?? true,
    temperature: body.temperature ?? 1,
    text: body.text ?? { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: {
      input_tokens: inputTokens,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: inputTokens + outputTokens,
    },
    user: null,
    metadata: {},
  };
}
