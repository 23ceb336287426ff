/**
 * Protected health information stays out of logs: callers' numbers are cut to their
 * last 4 digits wherever they are shown or logged.
 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return 'unknown';
  const digits = phone.replace(/\D/g, '');
  if (digits.length <= 4) return '••••';
  return `••• ${digits.slice(-4)}`;
}

// E.164 and loosely formatted North American numbers, with at least 7 digits, so
// timestamps and ids are not mistaken for phone numbers.
const PHONE_PATTERN = /\+\d{7,15}\b|\b\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}\b/g;

/** Masks every phone number in free text: the last line of defence before a log file. */
export function maskPhonesIn(text: string): string {
  return text.replace(PHONE_PATTERN, (m) => maskPhone(m));
}
