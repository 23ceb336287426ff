import { useState } from 'react';
import { Field } from '../../components/common';
import type { ClinicKnowledge, PricingSettings } from '../../contract';
import { useClinicUpdate } from './ClinicSections';
import { firstProblem, SettingsForm, type Problems } from './parts';

type PriceKey = Exclude<keyof PricingSettings, 'model'>;
const PRICES: Array<[PriceKey, string]> = [
  ['audioInPerM', 'Audio in, per million tokens'],
  ['cachedAudioInPerM', 'Cached audio in, per million tokens'],
  ['audioOutPerM', 'Audio out, per million tokens'],
  ['textInPerM', 'Text in, per million tokens'],
  ['cachedTextInPerM', 'Cached text in, per million tokens'],
  ['textOutPerM', 'Text out, per million tokens'],
  ['twilioPerMinute', 'Twilio, per minute'],
];

/** The prices each call's cost is worked out at (US dollars), as OpenAI and Twilio bill the clinic. */
export function PricingSection({ clinic }: { clinic: ClinicKnowledge }) {
  const [values, setValues] = useState<Record<PriceKey, string>>(() => Object.fromEntries(PRICES.map(([k]) => [k, String(clinic.pricing[k])])) as Record<PriceKey, string>);
  const [model, setModel] = useState(clinic.pricing.model);
  const [problems, setProblems] = useState<Problems>({});
  const update = useClinicUpdate();
  const submit = () => {
    const p: Problems = Object.fromEntries(PRICES.map(([k, label]) => [k, /^\d+(\.\d+)?$/.test(values[k].trim()) ? null : `${label}: a price in US dollars, such as 0.40.`]));
    setProblems(p);
    if (firstProblem(p)) return;
    void update.save({ pricing: { model, ...Object.fromEntries(PRICES.map(([k]) => [k, Number(values[k])])) } });
  };
  return (
    <SettingsForm
      title="Costs"
      description="Each call's cost is its Realtime tokens at these prices plus its Twilio minutes. Change them when your plan's prices change; calls already ended keep the cost of their day."
      onSubmit={submit}
      busy={update.busy}
      engineError={update.error}
      problem={firstProblem(problems)}
      saved={update.saved}
    >
      <Field label="Realtime model">{(p) => <input {...p} value={model} onChange={(e) => setModel(e.target.value)} />}</Field>
      <div className="form-row">
        {PRICES.map(([k, label]) => (
          <Field key={k} label={label} error={problems[k]}>
            {(p) => <input {...p} inputMode="decimal" value={values[k]} onChange={(e) => setValues({ ...values, [k]: e.target.value })} />}
          </Field>
        ))}
      </div>
    </SettingsForm>
  );
}
