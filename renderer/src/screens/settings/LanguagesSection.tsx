import { useState } from 'react';
import { Field } from '../../components/common';
import type { ClinicKnowledge, Language } from '../../contract';
import { useClinicUpdate } from './ClinicSections';
import { SettingsForm } from './parts';

/** The engine's list (SUPPORTED_LANGUAGES); the renderer imports no engine code, only types. */
export const LANGUAGES: Language[] = ['English', 'Spanish', 'French', 'Portuguese', 'Vietnamese', 'Chinese', 'Korean', 'Tagalog', 'Russian', 'Arabic'];

/** Which languages the receptionist answers callers in, and the clinic's own for staff. */
export function LanguagesSection({ clinic }: { clinic: ClinicKnowledge }) {
  const l = clinic.languages;
  const [clinicLanguage, setClinicLanguage] = useState<Language>(l.clinicLanguage);
  const [also, setAlso] = useState<Language[]>(l.alsoSpeaks);
  const [bilingual, setBilingual] = useState(l.bilingualGreeting);
  const update = useClinicUpdate();
  const toggle = (lang: Language, on: boolean) => setAlso(on ? [...also, lang] : also.filter((x) => x !== lang));
  return (
    <SettingsForm
      title="Languages"
      description="The receptionist answers a caller in their language when it is one of these, for the whole call. Messages and notes for staff stay in the clinic’s language."
      onSubmit={() => void update.save({ languages: { clinicLanguage, alsoSpeaks: also.filter((x) => x !== clinicLanguage), bilingualGreeting: bilingual } })}
      busy={update.busy}
      engineError={update.error}
      problem={null}
      saved={update.saved}
    >
      <Field label="Clinic language">
        {(p) => (
          <select {...p} value={clinicLanguage} onChange={(e) => setClinicLanguage(e.target.value as Language)}>
            {LANGUAGES.map((x) => (
              <option key={x}>{x}</option>
            ))}
          </select>
        )}
      </Field>
      <fieldset>
        <legend>Also answers callers in</legend>
        {LANGUAGES.filter((x) => x !== clinicLanguage).map((x) => (
          <label key={x} className="checkbox">
            <input type="checkbox" checked={also.includes(x)} onChange={(e) => toggle(x, e.target.checked)} /> {x}
          </label>
        ))}
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" checked={bilingual} onChange={(e) => setBilingual(e.target.checked)} /> Bilingual greeting (one line in {also[0] ?? 'the other language'})
      </label>
    </SettingsForm>
  );
}
