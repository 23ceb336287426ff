import type { EngineStatus } from './bridge.js';

/**
 * The tray icon: the one thing on screen while the dashboard is closed, so it must say
 * at a glance whether the phone is being answered. The model (icon, words, menu) is pure;
 * TrayController pushes it into Electron's Tray through three injected setters.
 */

export type TrayIconName = 'answering' | 'call' | 'paused' | 'error' | 'starting';

export interface TrayState {
  engine: EngineStatus;
  paused: boolean;
  activeCalls: number;
  /** The engine runs but cannot answer yet (e.g. no OpenAI key): its reason. */
  notReady: string | null;
  updateReady: boolean;
}

export interface TrayView {
  icon: TrayIconName;
  status: string;
  tooltip: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function trayView(s: TrayState): TrayView {
  const view = (icon: TrayIconName, status: string): TrayView => {
    const tooltip = `Deskline: ${status}`;
    // Windows truncates tray tooltips at 127 characters.
    return { icon, status, tooltip: tooltip.length > 127 ? `${tooltip.slice(0, 126)}…` : tooltip };
  };
  switch (s.engine.state) {
    case 'failed':
      return view('error', 'Not answering calls: the voice engine stopped. Open the logs folder for details.');
    case 'restarting':
      return view('error', 'Not answering calls: restarting the voice engine after a problem…');
    case 'starting':
      return view('starting', 'Starting the voice engine…');
    case 'stopped':
      return view('starting', 'Stopped');
    case 'ready':
      break;
  }
  if (s.activeCalls > 0) return view('call', `${plural(s.activeCalls, 'call', 'calls')} in progress`);
  if (s.paused) return view('paused', 'Paused: not answering new calls');
  if (s.notReady) return view('error', `Not answering calls: ${s.notReady}`);
  return view('answering', 'Answering calls');
}

export interface TrayActions {
  openDashboard(): void;
  setPaused(paused: boolean): void;
  restartEngine(): void;
  openLogsFolder(): void;
  quit(): void;
}

export interface MenuItemSpec {
  label?: string;
  type?: 'normal' | 'separator' | 'checkbox';
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export function trayMenu(s: TrayState, actions: TrayActions): MenuItemSpec[] {
  const items: MenuItemSpec[] = [
    { label: trayView(s).status, enabled: false },
    { type: 'separator' },
    { label: 'Open dashboard', click: () => actions.openDashboard() },
    {
      label: 'Pause answering',
      type: 'checkbox',
      checked: s.paused,
      enabled: s.engine.state === 'ready',
      click: () => actions.setPaused(!s.paused),
    },
  ];
  if (s.engine.state === 'failed' || s.engine.state === 'restarting') items.push({ label: 'Restart voice engine', click: () => actions.restartEngine() });
  items.push({ label: 'Open logs folder', click: () => actions.openLogsFolder() });
  if (s.updateReady) items.push({ label: 'Update ready: installs when Deskline restarts', enabled: false });
  items.push({ type: 'separator' }, { label: 'Quit Deskline', click: () => actions.quit() });
  return items;
}

export interface TrayTarget {
  setImage(icon: TrayIconName): void;
  setToolTip(text: string): void;
  setMenu(items: MenuItemSpec[]): void;
}

export class TrayController {
  constructor(
    private readonly target: TrayTarget,
    private readonly actions: TrayActions,
    private state: TrayState,
  ) {
    this.render();
  }

  current(): TrayState {
    return this.state;
  }

  update(patch: Partial<TrayState>): void {
    this.state = { ...this.state, ...patch };
    this.render();
  }

  private render(): void {
    const view = trayView(this.state);
    this.target.setImage(view.icon);
    this.target.setToolTip(view.tooltip);
    this.target.setMenu(trayMenu(this.state, this.actions));
  }
}
