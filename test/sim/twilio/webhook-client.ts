import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { twilioSignature, type SignatureMode } from './signing.js';

export interface WebhookResult {
  status: number;
  body: string;
  contentType?: string;
}

/** Where Twilio thinks it sends (signed over) and where the bytes actually go in the test. */
export interface WebhookTarget {
  publicUrl: string;
  actualUrl: string;
}

/**
 * Maps a URL on the public (tunnel) origin to the engine's real listener, keeping path and
 * query. URLs on any other origin are used as they are.
 */
export function toEngineUrl(publicUrl: string, publicBaseUrl: string, engineUrl: string): string {
  const pub = new URL(publicBaseUrl);
  const target = new URL(publicUrl);
  const sameOrigin =
    target.host === pub.host &&
    (target.protocol === pub.protocol || (pub.protocol === 'https:' && target.protocol === 'wss:') ||
      (pub.protocol === 'http:' && target.protocol === 'ws:'));
  if (!sameOrigin) return publicUrl;
  const engine = new URL(engineUrl);
  const secure = engine.protocol === 'https:' || engine.protocol === 'wss:';
  const ws = target.protocol === 'wss:' || target.protocol === 'ws:';
  const scheme = ws ? (secure ? 'wss:' : 'ws:') : secure ? 'https:' : 'http:';
  return `${scheme}//${engine.host}${target.pathname}${target.search}`;
}

/** A form POST the way Twilio's webhook client sends one, signed over the public URL. */
export function postSignedForm(
  target: WebhookTarget,
  authToken: string,
  params: Record<string, string>,
  signature: SignatureMode = 'valid',
  timeoutMs = 10_000,
): Promise<WebhookResult> {
  const body = new URLSearchParams(params).toString();
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    'Content-Length': String(Buffer.byteLength(body)),
    'User-Agent': 'TwilioProxy/1.1',
    Accept: '*/*',
  };
  const sig = twilioSignature(authToken, target.publicUrl, params, signature);
  if (sig !== undefined) headers['X-Twilio-Signature'] = sig;
  const url = new URL(target.actualUrl);
  const send = url.protocol === 'https:' ? httpsRequest : request;
  return new Promise((resolve, reject) => {
    // agent:false so no keep-alive socket outlives the test and holds the process open.
    const req = send(url, { method: 'POST', headers, agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'],
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`webhook POST ${target.publicUrl} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}
