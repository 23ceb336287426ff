import type { Language, LanguageSettings } from '../clinic/knowledge.js';

/** One line of welcome in each language the receptionist also speaks, said after the greeting. */
const INVITATIONS: Partial<Record<Language, string>> = {
  Spanish: 'Para español, hable en español.',
  French: 'Pour le français, parlez en français.',
  Portuguese: 'Para português, fale em português.',
  Vietnamese: 'Để nói tiếng Việt, xin hãy nói tiếng Việt.',
  Chinese: '如需中文服务，请说中文。',
  Korean: '한국어 상담을 원하시면 한국어로 말씀해 주세요.',
  Tagalog: 'Para sa Tagalog, magsalita po sa Tagalog.',
  Russian: 'Для русского языка говорите по-русски.',
  Arabic: 'للعربية، تحدث بالعربية.',
  English: 'For English, please speak English.',
};

/**
 * The language section of the instructions: the caller's language for the whole call
 * (when the clinic allows it), tool results relayed faithfully, and everything written
 * for staff in the clinic's own language.
 */
export function languageRules(languages: LanguageSettings): string[] {
  const spoken = [languages.clinicLanguage, ...languages.alsoSpeaks.filter((l) => l !== languages.clinicLanguage)];
  const rules = [`Language: speak ${languages.clinicLanguage} unless the caller speaks another language you may use.`];
  if (spoken.length > 1) {
    rules.push(
      `- You may speak ${spoken.join(', ')}. When the caller speaks one of them, answer in it and keep to it for the whole call, unless they ask to switch.`,
      `- Tool results are written in English: relay them in the caller’s language, keeping names, dates, times, prices and numbers exactly as given.`,
    );
  }
  rules.push(
    `- If the caller speaks a language you may not use, say once, in ${spoken.join(' and in ')}, which languages you can help in, and offer to take a message.`,
    `- Write everything meant for the clinic team (messages, reasons, notes) in ${languages.clinicLanguage}, whatever language the call is in.`,
  );
  return rules;
}

/** The greeting, with a one-line invitation in the first other language when the clinic wants it. */
export function withBilingualLine(greeting: string, languages: LanguageSettings): string {
  const other = languages.alsoSpeaks.find((l) => l !== languages.clinicLanguage);
  const line = other ? INVITATIONS[other] : undefined;
  return languages.bilingualGreeting && line ? `${greeting} ${line}` : greeting;
}
