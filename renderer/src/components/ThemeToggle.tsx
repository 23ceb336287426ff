import { useEffect } from 'react';
import { useStoredState } from './hooks';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: follow the system', light: 'Theme: light', dark: 'Theme: dark' };
const ICON: Record<Theme, string> = { system: '◐', light: '☀', dark: '☾' };

/** Light, dark, or whatever the PC uses; remembered on this PC. */
export function ThemeToggle() {
  const [theme, setTheme] = useStoredState<Theme>('deskline.theme', 'system');
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  return (
    <button type="button" className="ghost theme-toggle" onClick={() => setTheme(NEXT[theme])} aria-label={`${LABEL[theme]}. Switch to ${LABEL[NEXT[theme]].replace('Theme: ', '')}.`} title={LABEL[theme]}>
      <span aria-hidden="true">{ICON[theme]}</span>
    </button>
  );
}
