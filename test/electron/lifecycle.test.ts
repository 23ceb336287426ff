import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { EngineStatus } from '../../electron/bridge.js';
import { createCloseHandler, QuitGuard, quitPrompt } from '../../electron/lifecycle.js';
import { applyLaunchAtLogin, startedAtLogin } from '../../electron/login-item.js';
import { SettingsFile } from '../../electron/settings.js';
import { TrayController, trayMenu, trayView, type TrayState } from '../../electron/tray.js';
import { fakeEvent } from './fakes.js';

const engine = (state: EngineStatus['state'], message: string | null = null): EngineStatus => ({
  state,
  message,
  logDir: '/logs',
  crashes: 0,
  publicPort: null,
  dashboardPort: null,
  restartInMs: null,
});
const tray = (patch: Partial<TrayState> = {}): TrayState => ({ engine: engine('ready'), paused: false, activeCalls: 0, notReady: null, updateReady: false, ...patch });

describe('tray status', () => {
  it.each([
    [tray(), 'answering', 'Answering calls'],
    [tray({ activeCalls: 1 }), 'call', '1 call in progress'],
    [tray({ activeCalls: 3, paused: true }), 'call', '3 calls in progress'],
    [tray({ paused: true }), 'paused', 'Paused: not answering new calls'],
    [tray({ notReady: 'OPENAI_API_KEY is not set' }), 'error', 'Not answering calls: OPENAI_API_KEY is not set'],
    [tray({ engine: engine('failed', 'boom') }), 'error', 'Not answering calls: the voice engine stopped. Open the logs folder for details.'],
    [tray({ engine: engine('restarting') }), 'error', 'Not answering calls: restarting the voice engine after a problem…'],
    [tray({ engine: engine('starting') }), 'starting', 'Starting the voice engine…'],
  ] as const)('%# shows %s / %s', (state, icon, status) => {
    const view = trayView(state);
    expect(view.icon).toBe(icon);
    expect(view.status).toBe(status);
    expect(view.tooltip).toBe(`Deskline: ${status}`);
  });

  it('offers Open dashboard, Pause answering and Quit, plus Restart when the engine is down', () => {
    const actions = { openDashboard: vi.fn(), setPaused: vi.fn(), restartEngine: vi.fn(), openLogsFolder: vi.fn(), quit: vi.fn() };
    const labels = (s: TrayState) => trayMenu(s, actions).filter((i) => i.label).map((i) => i.label);
    expect(labels(tray())).toEqual(['Answering calls', 'Open dashboard', 'Pause answering', 'Open logs folder', 'Quit Deskline']);
    expect(labels(tray({ engine: engine('failed') }))).toContain('Restart voice engine');
    const items = trayMenu(tray(), actions);
    items.find((i) => i.label === 'Pause answering')!.click!();
    expect(actions.setPaused).toHaveBeenCalledWith(true);
    trayMenu(tray({ paused: true }), actions).find((i) => i.label === 'Pause answering')!.click!();
    expect(actions.setPaused).toHaveBeenLastCalledWith(false);
    items.find((i) => i.label === 'Quit Deskline')!.click!();
    expect(actions.quit).toHaveBeenCalled();
    expect(trayMenu(tray({ engine: engine('starting') }), actions).find((i) => i.label === 'Pause answering')!.enabled).toBe(false);
  });

  it('TrayController pushes icon, tooltip and menu on every change', () => {
    const target = { setImage: vi.fn(), setToolTip: vi.fn(), setMenu: vi.fn() };
    const controller = new TrayController(target, { openDashboard: vi.fn(), setPaused: vi.fn(), restartEngine: vi.fn(), openLogsFolder: vi.fn(), quit: vi.fn() }, tray({ engine: engine('starting') }));
    expect(target.setImage).toHaveBeenLastCalledWith('starting');
    controller.update({ engine: engine('ready'), activeCalls: 2 });
    expect(target.setImage).toHaveBeenLastCalledWith('call');
    expect(target.setToolTip).toHaveBeenLastCalledWith('Deskline: 2 calls in progress');
    expect(target.setMenu).toHaveBeenCalledTimes(2);
  });
});

describe('closing the window', () => {
  it('hides instead of closing, with a one-time notice that calls are still answered', () => {
    let shown = false;
    const deps = { isQuitting: () => false, hide: vi.fn(), noticeShown: () => shown, markNoticeShown: vi.fn(() => (shown = true)), showNotice: vi.fn() };
    const onClose = createCloseHandler(deps);
    const first = fakeEvent();
    onClose(first);
    onClose(fakeEvent());
    expect(first.defaultPrevented).toBe(true);
    expect(deps.hide).toHaveBeenCalledTimes(2);
    expect(deps.showNotice).toHaveBeenCalledTimes(1);
  });

  it('closes for real while quitting', () => {
    const deps = { isQuitting: () => true, hide: vi.fn(), noticeShown: () => false, markNoticeShown: vi.fn(), showNotice: vi.fn() };
    const event = fakeEvent();
    createCloseHandler(deps)(event);
    expect(event.defaultPrevented).toBe(false);
    expect(deps.hide).not.toHaveBeenCalled();
  });
});

describe('quitting', () => {
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('quits straight away with no calls in progress', async () => {
    const deps = { activeCalls: vi.fn(async () => 0), confirm: vi.fn(), quit: vi.fn() };
    const guard = new QuitGuard(deps);
    const event = fakeEvent();
    guard.onBeforeQuit(event);
    expect(event.defaultPrevented).toBe(true);
    await flush();
    expect(deps.confirm).not.toHaveBeenCalled();
    expect(deps.quit).toHaveBeenCalledTimes(1);
    const again = fakeEvent();
    guard.onBeforeQuit(again);
    expect(again.defaultPrevented).toBe(false);
  });

  it('with calls in progress asks first, saying how many will be cut; "keep running" keeps running', async () => {
    const deps = { activeCalls: vi.fn(async () => 2), confirm: vi.fn(async () => false), quit: vi.fn() };
    const guard = new QuitGuard(deps);
    guard.onBeforeQuit(fakeEvent());
    await flush();
    expect(deps.confirm).toHaveBeenCalledWith(2);
    expect(deps.quit).not.toHaveBeenCalled();
    expect(guard.quitting).toBe(false);
    deps.confirm.mockResolvedValueOnce(true);
    guard.onBeforeQuit(fakeEvent());
    await flush();
    expect(deps.quit).toHaveBeenCalledTimes(1);
    expect(guard.quitting).toBe(true);
  });

  it('the prompt names the number of calls and defaults to keeping Deskline running', () => {
    const one = quitPrompt(1);
    expect(one.message).toBe('1 call is in progress. Quit anyway?');
    expect(one.buttons).toEqual(['Keep Deskline running', 'Quit and cut 1 call']);
    const three = quitPrompt(3);
    expect(three.message).toBe('3 calls are in progress. Quit anyway?');
    expect(three.detail).toMatch(/All 3 calls will be cut off/);
    expect(three.buttons[1]).toBe('Quit and cut 3 calls');
    expect([three.defaultId, three.cancelId]).toEqual([0, 0]);
  });

  it('an OS shutdown is never held up by the prompt', () => {
    const deps = { activeCalls: vi.fn(async () => 5), confirm: vi.fn(), quit: vi.fn() };
    const guard = new QuitGuard(deps);
    guard.allowQuit();
    const event = fakeEvent();
    guard.onBeforeQuit(event);
    expect(event.defaultPrevented).toBe(false);
    expect(deps.activeCalls).not.toHaveBeenCalled();
  });
});

describe('launch at login', () => {
  it('is on by default and the setting persists', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'deskline-settings-')), 'desktop-settings.json');
    expect(new SettingsFile(file).get().launchAtLogin).toBe(true);
    new SettingsFile(file).update({ launchAtLogin: false });
    expect(new SettingsFile(file).get()).toMatchObject({ launchAtLogin: false, closeNoticeShown: false, plaintextSecretsAccepted: false, updateUrl: null });
  });

  it('uses the OS login items on Windows and macOS, starting hidden', () => {
    const setLoginItemSettings = vi.fn();
    for (const platform of ['win32', 'darwin'] as const) {
      expect(applyLaunchAtLogin(true, { platform, isPackaged: true, setLoginItemSettings, execPath: 'C:\\Deskline\\Deskline.exe', autostartDir: '/unused' }).supported).toBe(true);
    }
    expect(setLoginItemSettings).toHaveBeenCalledWith({ openAtLogin: true, args: ['--hidden'] });
  });

  it('writes (and removes) an XDG autostart entry on Linux, launching the AppImage hidden', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'deskline-autostart-')), 'autostart');
    const deps = { platform: 'linux' as const, isPackaged: true, setLoginItemSettings: vi.fn(), execPath: '/tmp/.mount_x/deskline', appImagePath: '/home/desk/Apps/Deskline "1".AppImage', autostartDir: dir };
    applyLaunchAtLogin(true, deps);
    const entry = readFileSync(join(dir, 'deskline.desktop'), 'utf8');
    expect(entry).toContain('Exec="/home/desk/Apps/Deskline \\"1\\".AppImage" --hidden');
    applyLaunchAtLogin(false, deps);
    expect(existsSync(join(dir, 'deskline.desktop'))).toBe(false);
  });

  it('never registers a development run', () => {
    const setLoginItemSettings = vi.fn();
    expect(applyLaunchAtLogin(true, { platform: 'win32', isPackaged: false, setLoginItemSettings, execPath: 'electron.exe', autostartDir: '/x' }).supported).toBe(false);
    expect(setLoginItemSettings).not.toHaveBeenCalled();
  });

  it('recognises a start at login', () => {
    expect(startedAtLogin(['deskline', '--hidden'])).toBe(true);
    expect(startedAtLogin(['deskline'], true)).toBe(true);
    expect(startedAtLogin(['deskline'])).toBe(false);
  });
});
