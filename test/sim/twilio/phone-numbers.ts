import { notFound, twilioError, type TwilioErrorBody } from './rest-resources.js';
import { randomSid } from './signing.js';

/** A number the account owns (IncomingPhoneNumbers), with the settings Twilio keeps for it. */
export interface OwnedNumber {
  sid: string;
  phoneNumber: string;
  friendlyName: string;
  voiceUrl: string;
  voiceMethod: string;
  voiceFallbackUrl: string;
  voiceFallbackMethod: string;
  statusCallback: string;
  statusCallbackMethod: string;
  smsUrl: string;
  smsMethod: string;
  dateUpdated: Date;
}

/** The fields Twilio accepts on an update, and the attribute each sets. */
const UPDATABLE: Record<string, keyof OwnedNumber> = {
  FriendlyName: 'friendlyName',
  VoiceUrl: 'voiceUrl',
  VoiceMethod: 'voiceMethod',
  VoiceFallbackUrl: 'voiceFallbackUrl',
  VoiceFallbackMethod: 'voiceFallbackMethod',
  StatusCallback: 'statusCallback',
  StatusCallbackMethod: 'statusCallbackMethod',
  SmsUrl: 'smsUrl',
  SmsMethod: 'smsMethod',
};
const URL_FIELDS = new Set(['VoiceUrl', 'VoiceFallbackUrl', 'StatusCallback', 'SmsUrl']);

export function numberResource(accountSid: string, n: OwnedNumber): Record<string, unknown> {
  return {
    sid: n.sid,
    account_sid: accountSid,
    phone_number: n.phoneNumber,
    friendly_name: n.friendlyName,
    voice_url: n.voiceUrl || null,
    voice_method: n.voiceMethod,
    voice_fallback_url: n.voiceFallbackUrl || null,
    voice_fallback_method: n.voiceFallbackMethod,
    status_callback: n.statusCallback || null,
    status_callback_method: n.statusCallbackMethod,
    sms_url: n.smsUrl || null,
    sms_method: n.smsMethod,
    capabilities: { voice: true, sms: true, mms: true, fax: false },
    api_version: '2010-04-01',
    date_created: n.dateUpdated.toUTCString(),
    date_updated: n.dateUpdated.toUTCString(),
    uri: `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers/${n.sid}.json`,
  };
}

/**
 * The account's phone numbers as the REST API serves them: listed (filterable by PhoneNumber)
 * and updated. Strict as Twilio is: a URL that is not http(s), or a method other than GET or
 * POST, is refused and nothing changes; a field Twilio does not know is ignored, as Twilio does.
 */
export class SimPhoneNumbers {
  readonly numbers = new Map<string, OwnedNumber>();

  add(phoneNumber: string, settings: Partial<OwnedNumber> = {}): OwnedNumber {
    const n: OwnedNumber = {
      sid: randomSid('PN'), phoneNumber, friendlyName: phoneNumber, voiceUrl: '', voiceMethod: 'POST', voiceFallbackUrl: '', voiceFallbackMethod: 'POST',
      statusCallback: '', statusCallbackMethod: 'POST', smsUrl: '', smsMethod: 'POST', dateUpdated: new Date(), ...settings,
    };
    this.numbers.set(n.sid, n);
    return n;
  }

  list(accountSid: string, query: Record<string, string>): Record<string, unknown> {
    const all = [...this.numbers.values()].filter((n) => !query.PhoneNumber || n.phoneNumber === query.PhoneNumber);
    const uri = `/2010-04-01/Accounts/${accountSid}/IncomingPhoneNumbers.json?PageSize=50&Page=0`;
    return {
      incoming_phone_numbers: all.map((n) => numberResource(accountSid, n)),
      end: Math.max(0, all.length - 1), first_page_uri: uri, next_page_uri: null, page: 0, page_size: 50, previous_page_uri: null, start: 0, uri,
    };
  }

  update(accountSid: string, sid: string, path: string, params: Record<string, string>): [number, unknown] {
    const n = this.numbers.get(sid);
    if (!n) return [404, notFound(path)];
    const refusal = refuse(params);
    if (refusal) return [refusal.status, refusal];
    // Twilio ignores fields it does not know; only known ones change.
    for (const [field, value] of Object.entries(params)) if (field in UPDATABLE) (n as unknown as Record<string, string>)[UPDATABLE[field]!] = value;
    n.dateUpdated = new Date();
    return [200, numberResource(accountSid, n)];
  }
}

function refuse(params: Record<string, string>): TwilioErrorBody | undefined {
  for (const [field, value] of Object.entries(params)) {
    if (URL_FIELDS.has(field) && value !== '' && !/^https?:\/\/[^\s]+$/.test(value)) return twilioError(400, 21502, `${field} is not a valid URL: ${value}`);
    if (field.endsWith('Method') && value !== 'GET' && value !== 'POST') return twilioError(400, 21503, `${field} must be GET or POST`);
  }
  return undefined;
}
