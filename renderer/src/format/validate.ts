/**
 * Client-side checks that match the engine's own, so most mistakes are caught before a
 * round trip; the engine still has the last word and its message is shown as well.
 */

export function validatePhone(value: string, field = 'Phone number'): string | null {
  const v = value.trim();
  if (!v) return `${field} is required.`;
  if (!/^[+()\d\s.-]+$/.test(v)) return `${field} may only contain digits, spaces, +, -, ( and ).`;
  const digits = v.replace(/\D/g, '');
  if (digits.length < 7) return `${field} must be a phone number (at least 7 digits).`;
  if (digits.length > 15) return `${field} has too many digits.`;
  return null;
}

/** Twilio and transfer numbers: E.164, e.g. +15551234567. */
export function validateE164(value: string, field: string): string | null {
  const v = value.trim().replace(/[\s().-]/g, '');
  if (v === '') return `${field} is required.`;
  if (!/^\+[1-9]\d{6,14}$/.test(v)) return `${field} must be in international format, e.g. +15551234567.`;
  return null;
}

export function validateRequired(value: string, field: string, max = 500): string | null {
  if (value.trim() === '') return `${field} is required.`;
  if (value.length > max) return `${field} must be at most ${max} characters.`;
  return null;
}

export function validateMax(value: string, field: string, max: number): string | null {
  return value.length > max ? `${field} must be at most ${max} characters.` : null;
}

export function validateWhole(value: string, field: string, min: number, max: number): string | null {
  if (!/^\d+$/.test(value.trim())) return `${field} must be a whole number from ${min} to ${max}.`;
  const n = Number(value);
  if (n < min || n > max) return `${field} must be a whole number from ${min} to ${max}.`;
  return null;
}

export function validateHttpsUrl(value: string, field: string): string | null {
  const v = value.trim();
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return `${field} must be a full address like https://example.trycloudflare.com.`;
  }
  if (url.protocol !== 'https:') return `${field} must start with https:// (Twilio only calls https addresses).`;
  if (url.pathname !== '/' && url.pathname !== '') return `${field} must be the origin only, with no path.`;
  if (url.search || url.hash) return `${field} must not have a query or #fragment.`;
  return null;
}

export function validateTwilioSid(value: string): string | null {
  return /^AC[0-9a-fA-F]{32}$/.test(value.trim()) ? null : 'Account SID starts with AC followed by 32 letters and digits (find it on the Twilio console home page).';
}

/** Twilio's Auth Token (32 characters in the console); the engine refuses anything under 16. */
export function validateTwilioToken(value: string): string | null {
  const v = value.trim();
  if (!v) return 'Paste the Auth Token from the Twilio console (Account info).';
  if (/\s/.test(v)) return 'The Auth Token must not contain spaces.';
  if (v.length < 16) return 'The Auth Token looks too short; copy it again from the Twilio console (Account info).';
  return null;
}

export function validateOpenAiKey(value: string): string | null {
  const v = value.trim();
  if (!v) return 'Paste the OpenAI API key.';
  if (!v.startsWith('sk-') || v.length < 20) return 'An OpenAI API key starts with "sk-" and is much longer.';
  if (/\s/.test(v)) return 'The key must not contain spaces.';
  return null;
}

/** Returns the first message, or null when every check passed. */
export function firstError(errors: Record<string, string | null | undefined>): string | null {
  for (const e of Object.values(errors)) if (e) return e;
  return null;
}

/** "+1 (555) 123-4567" → "+15551234567": what the engine and Twilio expect. */
export function normalizePhone(value: string): string {
  const v = value.trim();
  return (v.startsWith('+') ? '+' : '') + v.replace(/\D/g, '');
}
