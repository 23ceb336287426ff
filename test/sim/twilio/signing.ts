import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

export type SignatureMode = 'valid' | 'missing' | 'wrong';

/** Twilio resource ids are a two-letter type prefix and 32 lowercase hex digits. */
export function randomSid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

/**
 * The X-Twilio-Signature value Twilio would send for a request to `url` (the public URL
 * Twilio believes it is calling) with these form params, or a deliberately broken one.
 * Returns undefined when the header should be left off.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  mode: SignatureMode = 'valid',
): string | undefined {
  if (mode === 'missing') return undefined;
  // A signature over the right URL with the wrong key: well-formed, so only a real check rejects it.
  const key = mode === 'wrong' ? `${authToken}-not` : authToken;
  return twilio.getExpectedTwilioSignature(key, url, params);
}
