import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * OpenAI's transcription endpoint (`POST /v1/audio/transcriptions`): multipart/form-data with
 * a `file` and a `model`, as the SDK sends it. Refuses what the real one refuses (no file, no
 * model, not multipart); answers with the queued text, else a fixed one.
 */
export interface TranscriptionRequest {
  model: string;
  filename: string;
  bytes: number;
  status: number;
}

const MODELS = new Set(['whisper-1', 'gpt-4o-transcribe', 'gpt-4o-mini-transcribe']);

export class TranscriptionsSim {
  readonly requests: TranscriptionRequest[] = [];
  readonly refusals: string[] = [];
  private readonly texts: string[] = [];

  constructor(private readonly apiKey: string) {}

  queue(...texts: string[]): void {
    this.texts.push(...texts);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const refuse = (status: number, message: string) => {
      this.refusals.push(message);
      send(status, { error: { message, type: 'invalid_request_error', param: null, code: null } });
    };
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return send(401, { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    const boundary = /multipart\/form-data;\s*boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers['content-type'] ?? '');
    if (!boundary) return refuse(400, 'The request must be multipart/form-data.');
    const parts = parseMultipart(body, boundary[1] ?? boundary[2]!);
    const model = parts.find((p) => p.name === 'model')?.data.toString('utf8');
    const file = parts.find((p) => p.name === 'file');
    if (!model) return refuse(400, "Missing required parameter: 'model'.");
    if (!MODELS.has(model)) return refuse(400, `Invalid model ${model}.`);
    if (!file || !file.filename || file.data.length === 0) return refuse(400, "Missing required parameter: 'file'.");
    this.requests.push({ model, filename: file.filename, bytes: file.data.length, status: 200 });
    send(200, { text: this.texts.shift() ?? 'Hello, this is a message for the clinic.' });
  }
}

function parseMultipart(body: Buffer, boundary: string): Array<{ name: string; filename?: string; data: Buffer }> {
  const out: Array<{ name: string; filename?: string; data: Buffer }> = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2);
    const split = part.indexOf('\r\n\r\n');
    if (split !== -1) {
      const head = part.subarray(0, split).toString('utf8');
      const name = /name="([^"]*)"/.exec(head)?.[1];
      const filename = /filename="([^"]*)"/.exec(head)?.[1];
      if (name) out.push({ name, ...(filename !== undefined ? { filename } : {}), data: part.subarray(split + 4) });
    }
    start = next;
  }
  return out;
}
