import { useId } from 'react';

/**
 * A write-only secret. The engine only says whether it is set, and this field never
 * shows or holds more than what is being typed to replace it.
 */
export function SecretField({
  label,
  isSet,
  value,
  onChange,
  replacing,
  onReplacing,
  error,
  hint,
}: {
  label: string;
  isSet: boolean;
  value: string;
  onChange: (v: string) => void;
  replacing: boolean;
  onReplacing: (on: boolean) => void;
  error?: string | null;
  hint?: string;
}) {
  const id = useId();
  const editing = !isSet || replacing;
  return (
    <div className={`field secret-field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={editing ? id : undefined} id={`${id}-label`}>
        {label}
      </label>
      {editing ? (
        <span className="secret-edit">
          <input
            id={id}
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            placeholder={isSet ? 'Paste the new value' : 'Not set'}
            aria-invalid={Boolean(error)}
            aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
          />
          {isSet ? (
            <button
              type="button"
              className="ghost"
              onClick={() => {
                onChange('');
                onReplacing(false);
              }}
            >
              Keep current
            </button>
          ) : null}
        </span>
      ) : (
        <span className="secret-set" role="group" aria-labelledby={`${id}-label`}>
          <span className="secret-status">Set ✓</span>
          <button type="button" className="link" onClick={() => onReplacing(true)} aria-label={`Replace ${label}`}>
            — replace
          </button>
        </span>
      )}
      {hint ? (
        <small className="hint" id={`${id}-hint`}>
          {hint}
        </small>
      ) : null}
      {error ? (
        <small className="field-error" id={`${id}-error`} role="alert">
          {error}
        </small>
      ) : null}
    </div>
  );
}
