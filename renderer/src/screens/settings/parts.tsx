import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorNote } from '../../components/common';
import type { EngineError } from '../../engine/query';

/**
 * One settings form: its own Save, client-side problems listed before anything is sent,
 * and the engine's BAD_REQUEST message right next to the button that caused it.
 */
export function SettingsForm({
  title,
  description,
  children,
  onSubmit,
  busy,
  engineError,
  problem,
  saved,
  saveLabel = 'Save',
  dirty = true,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  onSubmit: () => void;
  busy: boolean;
  engineError: EngineError | null;
  problem: string | null;
  saved: boolean;
  saveLabel?: string;
  dirty?: boolean;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="settings-form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      {description ? <p className="muted">{description}</p> : null}
      {children}
      <div className="form-actions">
        <ErrorNote error={problem} />
        <ErrorNote error={engineError ? `Not saved: ${engineError.message}` : null} />
        {saved && !problem && !engineError ? (
          <span className="saved" role="status">
            Saved ✓
          </span>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !dirty}>
          {busy ? 'Saving…' : saveLabel}
        </button>
      </div>
    </form>
  );
}

/** "Saved ✓" that fades after a few seconds. */
export function useSavedFlag(): [boolean, () => void, () => void] {
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (!saved) return;
    const id = setTimeout(() => setSaved(false), 4000);
    return () => clearTimeout(id);
  }, [saved]);
  return [saved, () => setSaved(true), () => setSaved(false)];
}

/** Field-level problems: the first one doubles as the form's summary. */
export type Problems = Record<string, string | null>;

export function firstProblem(p: Problems): string | null {
  for (const v of Object.values(p)) if (v) return v;
  return null;
}
