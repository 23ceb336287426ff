import { loadKnowledge, KNOWLEDGE_KEYS, type Policy } from '../clinic/knowledge.js';
import { afterHoursSettings, identitySettings, intakeSettings, languageSettings, pricingSettings, safetySettings, textingSettings, transferSettings, voicemailSettings, recordingSettings } from '../clinic/receptionist-settings.js';
import * as v from '../clinic/validate.js';
import type { Store } from '../store/index.js';
import { HandlerError, type HandlerRegistry } from './registry.js';

/** Runs a settings change, turning a validation failure into a BAD_REQUEST reply. */
function validated<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof v.ValidationError) throw new HandlerError('BAD_REQUEST', err.message);
    throw err;
  }
}

function providerIds(value: unknown, store: Store): number[] {
  if (!Array.isArray(value)) throw new v.ValidationError('Choose at least one provider for the service.');
  const known = new Set(store.clinic.providers().map((p) => p.id));
  for (const id of value) if (!known.has(id as number)) throw new v.ValidationError(`Provider ${String(id)} does not exist.`);
  return value as number[];
}

/** Clinic knowledge for Settings. Every change applies to the next call, with no restart. */
export function registerClinicHandlers(registry: HandlerRegistry, store: Store): void {
  registry.register('clinic/get', () => loadKnowledge(store));

  registry.register('clinic/update', (args) =>
    validated(() => {
      const s = store.settings;
      const changes: Array<() => void> = [];
      const current = loadKnowledge(store);
      if (args.profile !== undefined) {
        const p = args.profile;
        const name = v.requireText(p.name, 'Clinic name', 120);
        const address = v.optionalText(p.address, 'Address', 300);
        const phone = v.phoneNumber(p.phone, 'Clinic phone');
        const tz = v.timezone(p.timezone);
        changes.push(() => {
          s.set(KNOWLEDGE_KEYS.name, name);
          s.set(KNOWLEDGE_KEYS.address, address);
          s.set(KNOWLEDGE_KEYS.phone, phone);
          s.set(KNOWLEDGE_KEYS.timezone, tz);
        });
      }
      if (args.hours !== undefined) {
        const hours = v.weeklyHours(args.hours, 'Opening hours');
        changes.push(() => s.set(KNOWLEDGE_KEYS.hours, hours));
      }
      if (args.rules !== undefined) {
        const rules = v.schedulingRules(args.rules);
        changes.push(() => s.set(KNOWLEDGE_KEYS.rules, rules));
      }
      if (args.policies !== undefined) {
        if (!Array.isArray(args.policies)) throw new v.ValidationError('Policies must be a list.');
        const policies: Policy[] = args.policies.map((p, i) => ({ title: v.requireText(p?.title, `Policy ${i + 1} title`, 120), text: v.requireText(p?.text, `Policy ${i + 1} text`, 2000) }));
        changes.push(() => s.set(KNOWLEDGE_KEYS.policies, policies));
      }
      if (args.faqs !== undefined) {
        if (!Array.isArray(args.faqs)) throw new v.ValidationError('FAQs must be a list.');
        const faqs = args.faqs.map((f, i) => ({ question: v.requireText(f?.question, `FAQ ${i + 1} question`, 300), answer: v.requireText(f?.answer, `FAQ ${i + 1} answer`, 2000) }));
        changes.push(() => store.clinic.replaceFaqs(faqs));
      }
      if (args.receptionist !== undefined) {
        const r = args.receptionist;
        const greeting = v.optionalText(r.greeting, 'Greeting', 500);
        const voice = v.optionalText(r.voice, 'Voice', 40);
        const extra = v.optionalText(r.extraInstructions, 'Extra instructions', 4000);
        const limits = {
          idlePromptS: v.wholeNumber(r.idlePromptS ?? current.receptionist.idlePromptS, 'Ask if the caller is still there after (seconds)', 5, 120),
          idleHangUpS: v.wholeNumber(r.idleHangUpS ?? current.receptionist.idleHangUpS, 'End a silent call after a further (seconds)', 5, 120),
          maxCallMinutes: v.wholeNumber(r.maxCallMinutes ?? current.receptionist.maxCallMinutes, 'Longest call (minutes)', 2, 240),
          transferKey: keypadKey(r.transferKey ?? current.receptionist.transferKey),
        };
        changes.push(() => {
          if (r.greeting !== undefined) s.set(KNOWLEDGE_KEYS.greeting, greeting);
          if (r.voice !== undefined) s.set(KNOWLEDGE_KEYS.voice, voice);
          if (r.extraInstructions !== undefined) s.set(KNOWLEDGE_KEYS.extraInstructions, extra);
          s.set(KNOWLEDGE_KEYS.callLimits, limits);
        });
      }
      // Each returns the whole new value; what is not sent stays as it is.
      const family = <I, T, R>(input: I | undefined, check: (input: I, current: T) => R, now: T, key: string) => {
        if (input === undefined) return;
        const value = check(input, now);
        changes.push(() => s.set(key, value));
      };
      family(args.safety, safetySettings, current.safety, KNOWLEDGE_KEYS.safety);
      family(args.identity, identitySettings, current.identity, KNOWLEDGE_KEYS.identity);
      family(args.afterHours, afterHoursSettings, current.afterHours, KNOWLEDGE_KEYS.afterHours);
      family(args.languages, languageSettings, current.languages, KNOWLEDGE_KEYS.languages);
      family(args.intake, intakeSettings, current.intake, KNOWLEDGE_KEYS.intake);
      family(args.transfers, transferSettings, current.transfers, KNOWLEDGE_KEYS.transfers);
      family(args.texting, textingSettings, current.texting, KNOWLEDGE_KEYS.texting);
      family(args.pricing, pricingSettings, current.pricing, KNOWLEDGE_KEYS.pricing);
      family(args.voicemail, voicemailSettings, current.voicemail, KNOWLEDGE_KEYS.voicemail);
      family(args.recording, recordingSettings, current.recording, KNOWLEDGE_KEYS.recording);
      // Everything is validated before anything is written: a bad field loses nothing.
      store.db.transaction(() => changes.forEach((apply) => apply()))();
      return loadKnowledge(store);
    }),
  );

  registry.register('services/save', (args) =>
    validated(() =>
      store.clinic.saveService({
        id: args.id,
        name: v.requireText(args.name, 'Service name', 120),
        durationMin: v.wholeNumber(args.durationMin, 'Duration (minutes)', 5, 600),
        bufferAfterMin: v.wholeNumber(args.bufferAfterMin ?? 0, 'Buffer after (minutes)', 0, 240),
        priceCents: args.priceCents === null || args.priceCents === undefined ? null : v.wholeNumber(args.priceCents, 'Price (cents)', 0, 10_000_000),
        priceFrom: args.priceFrom === true,
        providerIds: providerIds(args.providerIds, store),
      }),
    ),
  );
  registry.register('services/retire', (args) => store.clinic.retireService(Number(args.id)));

  registry.register('providers/save', (args) =>
    validated(() =>
      store.clinic.saveProvider({
        id: args.id,
        name: v.requireText(args.name, 'Provider name', 120),
        hours: v.weeklyHours(args.hours, 'Working hours'),
        calendarId: v.optionalText(args.calendarId, 'Google calendar id', 300) || null,
      }),
    ),
  );
  registry.register('providers/retire', (args) => store.clinic.retireProvider(Number(args.id)));

  registry.register('closures/add', (args) =>
    validated(() => {
      const startDate = v.localDate(args.startDate, 'First closed day');
      const endDate = v.localDate(args.endDate ?? args.startDate, 'Last closed day');
      if (endDate < startDate) throw new v.ValidationError('The last closed day must not be before the first.');
      return { id: store.clinic.addClosure({ startDate, endDate, reason: v.optionalText(args.reason, 'Reason', 200) }) };
    }),
  );
  registry.register('closures/remove', (args) => store.clinic.removeClosure(Number(args.id)));
}

/** One key of a phone keypad, or '' for none. */
function keypadKey(value: unknown): string {
  if (value === '' || (typeof value === 'string' && /^[0-9*#]$/.test(value))) return value;
  throw new v.ValidationError('Key for the front desk must be one key: 0-9, * or #, or empty for none.');
}
