import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The desktop shell's own settings, in <userData>/desktop-settings.json. Clinic and
 * engine settings live in the engine's database; these are the few things only the
 * shell knows about. No secrets here, ever: those go through secret-store.ts.
 */
export interface ShellSettings {
  /** On by default: a receptionist that is not running after a reboot answers nobody. */
  launchAtLogin: boolean;
  /** The "closing the window keeps Deskline answering" notice is shown once. */
  closeNoticeShown: boolean;
  /** Linux without a keyring: the user accepted storing secrets with Electron's basic_text backend. */
  plaintextSecretsAccepted: boolean;
  /** Where IT hosts updates (generic provider). Null: no auto-update unless DESKLINE_UPDATE_URL is set. */
  updateUrl: string | null;
  /** The clinic's own https pages the dashboard may open in the system browser. */
  externalUrls: string[];
}

export const DEFAULT_SETTINGS: Readonly<ShellSettings> = Object.freeze({
  launchAtLogin: true,
  closeNoticeShown: false,
  plaintextSecretsAccepted: false,
  updateUrl: null,
  externalUrls: [],
});

/** Keeps every field that has the right type and drops the rest: a hand-edited file must not crash the app. */
export function sanitizeSettings(raw: unknown): ShellSettings {
  const s: ShellSettings = { ...DEFAULT_SETTINGS, externalUrls: [] };
  if (typeof raw !== 'object' || raw === null) return s;
  const r = raw as Record<string, unknown>;
  for (const key of ['launchAtLogin', 'closeNoticeShown', 'plaintextSecretsAccepted'] as const) {
    if (typeof r[key] === 'boolean') s[key] = r[key];
  }
  if (typeof r.updateUrl === 'string' && r.updateUrl.trim()) s.updateUrl = r.updateUrl.trim();
  if (Array.isArray(r.externalUrls)) s.externalUrls = r.externalUrls.filter((u): u is string => typeof u === 'string' && u.length > 0);
  return s;
}

export class SettingsFile {
  private current: ShellSettings;

  constructor(private readonly file: string) {
    let raw: unknown = null;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      // Missing or unreadable: defaults (first run, or a file someone broke by hand).
    }
    this.current = sanitizeSettings(raw);
  }

  get(): ShellSettings {
    return { ...this.current, externalUrls: [...this.current.externalUrls] };
  }

  update(patch: Partial<ShellSettings>): ShellSettings {
    this.current = sanitizeSettings({ ...this.current, ...patch });
    mkdirSync(dirname(this.file), { recursive: true });
    // Write-then-rename: a crash mid-write leaves the old file, never half a file.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.current, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
    return this.get();
  }
}
