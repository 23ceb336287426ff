/**
 * Closing versus quitting. Closing the window only hides the dashboard: the phone keeps
 * being answered, and the first time that happens we say so. Quitting stops the
 * receptionist, so with calls live it asks first and says how many calls will be cut.
 */

export const CLOSE_NOTICE = {
  type: 'info' as const,
  title: 'Deskline is still answering the phone',
  message: 'Deskline is still answering the phone',
  detail:
    'Closing the window only hides the dashboard. Deskline keeps answering calls in the background. ' +
    'To open the dashboard again, use the Deskline icon in the system tray (menu bar on a Mac) or start Deskline again. ' +
    'To stop answering, choose "Pause answering" or "Quit Deskline" from that icon.',
  buttons: ['OK'],
  defaultId: 0,
};

export interface CloseDeps {
  isQuitting(): boolean;
  hide(): void;
  noticeShown(): boolean;
  markNoticeShown(): void;
  showNotice(): void;
}

/** The window's 'close' event: hide instead of close unless the app is quitting. */
export function createCloseHandler(deps: CloseDeps): (event: { preventDefault(): void }) => void {
  return (event) => {
    if (deps.isQuitting()) return;
    event.preventDefault();
    deps.hide();
    if (!deps.noticeShown()) {
      deps.markNoticeShown();
      deps.showNotice();
    }
  };
}

export interface QuitPrompt {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: [string, string];
  defaultId: 0;
  cancelId: 0;
}

/** Button 0 keeps Deskline running (the safe default, also on Esc); button 1 quits. */
export function quitPrompt(activeCalls: number): QuitPrompt {
  const calls = activeCalls === 1 ? '1 call is' : `${activeCalls} calls are`;
  const cut = activeCalls === 1 ? 'That call will be cut off' : `All ${activeCalls} calls will be cut off`;
  return {
    type: 'warning',
    title: 'Quit Deskline?',
    message: `${calls} in progress. Quit anyway?`,
    detail: `${cut}, and Deskline will not answer the phone until it is started again.`,
    buttons: ['Keep Deskline running', activeCalls === 1 ? 'Quit and cut 1 call' : `Quit and cut ${activeCalls} calls`],
    defaultId: 0,
    cancelId: 0,
  };
}

export interface QuitDeps {
  /** Fresh count from the engine (falls back to the last known one if it does not answer). */
  activeCalls(): Promise<number>;
  /** Shows quitPrompt(n); true to quit. */
  confirm(activeCalls: number): Promise<boolean>;
  /** app.quit(), called again once the user has agreed. */
  quit(): void;
}

/**
 * app 'before-quit': the first attempt is held while we count live calls and, if any,
 * ask; the second attempt (after a yes, or with no calls) goes through.
 */
export class QuitGuard {
  private allowed = false;
  private asking = false;

  constructor(private readonly deps: QuitDeps) {}

  get quitting(): boolean {
    return this.allowed;
  }

  /** The OS is shutting down or logging out: no dialog can hold that up. */
  allowQuit(): void {
    this.allowed = true;
  }

  onBeforeQuit(event: { preventDefault(): void }): void {
    if (this.allowed) return;
    event.preventDefault();
    if (this.asking) return;
    this.asking = true;
    void this.decide().finally(() => (this.asking = false));
  }

  private async decide(): Promise<void> {
    let calls = 0;
    try {
      calls = await this.deps.activeCalls();
    } catch {
      calls = 0;
    }
    if (calls > 0 && !(await this.deps.confirm(calls))) return;
    this.allowed = true;
    this.deps.quit();
  }
}
