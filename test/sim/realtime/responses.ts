import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

/**
 * OpenAI's Responses endpoint (`POST /v1/responses`), scripted: each request takes the next
 * queued step (a function call or a text), and the request must be one the real API
 * accepts: known parameters only, well-formed input items, every function call in the input
 * answered by a function_call_output, function names the request's tools declare. What it
 * had to refuse is in `refusals`; tests fail on any.
 */

export type ResponseStep = { call: string; arguments: Record<string, unknown> } | { say: string } | { fail: number };

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

  constructor(private readonly apiKey: string) {}

  /** The next requests answer with these, in order. */
  queue(...steps: ResponseStep[]): void {
    this.steps.push(...steps);
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
      const step = this.steps.shift();
      if (!step) throw new Refusal(500, null, 'the responses sim has no scripted step left');
      if ('fail' in step) return send(step.fail, { error: { message: `scripted failure ${step.fail}`, type: 'server_error', param: null, code: null } });
      if ('call' in step && !tools.has(step.call)) throw new Refusal(500, null, `the script calls ${step.call}, which the request's tools do not declare`);
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

function responseObject(body: Record<string, any>, step: Exclude<ResponseStep, { fail: number }>): Record<string, unknown> {
  const output =
    'call' in step
      ? [{ type: 'function_call', id: id('fc'), call_id: id('call'), name: step.call, arguments: JSON.stringify(step.arguments), status: 'completed' }]
      : [{ type: 'message', id: id('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: step.say, annotations: [] }] }];
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
