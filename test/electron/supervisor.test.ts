import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineStatus } from '../../electron/bridge.js';
import { EngineSupervisor, ENGINE_SERVICE_NAME, type SupervisorOptions } from '../../electron/supervisor.js';
import { fakeChannel, fakeFork, FakePort } from './fakes.js';

const LOG_DIR = '/home/desk/.config/Deskline/logs';

function setup(overrides: Partial<SupervisorOptions<FakePort>> = {}) {
  const forks = fakeFork();
  const statuses: EngineStatus[] = [];
  const output: string[] = [];
  const supervisor = new EngineSupervisor<FakePort>({
    fork: forks.fork,
    modulePath: '/app/voice-engine/dist/utility.js',
    env: { DESKLINE_DATA_DIR: '/data' },
    createChannel: fakeChannel,
    logDir: LOG_DIR,
    readyTimeoutMs: 20_000,
    pingIntervalMs: 5_000,
    onStatus: (s) => statuses.push(s),
    onOutput: (stream, line) => output.push(`${stream}: ${line}`),
    ...overrides,
  });
  const client = { ports: [] as FakePort[], deliver(port: FakePort) { this.ports.push(port); } };
  return { ...forks, supervisor, statuses, output, client };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('EngineSupervisor start-up', () => {
  it('forks the engine entry as the "Deskline voice engine" utility process with piped output, the given env and the engine\'s runtime flags', () => {
    const { supervisor, fork } = setup();
    supervisor.start();
    expect(fork).toHaveBeenCalledTimes(1);
    expect(fork).toHaveBeenCalledWith('/app/voice-engine/dist/utility.js', [], { serviceName: ENGINE_SERVICE_NAME, stdio: 'pipe', env: { DESKLINE_DATA_DIR: '/data' }, execArgv: ['--no-memory-reducer'] });
    expect(ENGINE_SERVICE_NAME).toBe('Deskline voice engine');
    expect(supervisor.status().state).toBe('starting');
  });

  it('becomes ready on the handshake, sends readyMessages first, then a fresh port to each client', () => {
    const { supervisor, last, client } = setup({ readyMessages: () => [{ type: 'secrets', values: { openaiApiKey: 'sk-test' } }] });
    supervisor.addClient(client);
    supervisor.start();
    expect(client.ports).toHaveLength(0); // nothing to hand out before ready
    last().ready(8080, 8081);
    const status = supervisor.status();
    expect(status).toMatchObject({ state: 'ready', publicPort: 8080, dashboardPort: 8081, message: null });
    const types = last().posted.map((p) => (p.message as { type: string }).type);
    expect(types).toEqual(['secrets', 'port']);
    const portMessage = last().messagesOfType('port')[0]!;
    expect(portMessage.transfer).toHaveLength(1);
    expect(portMessage.transfer![0]!.name).toMatch(/^engine-side-/);
    expect(client.ports).toHaveLength(1);
    expect(client.ports[0]!.name).toBe(portMessage.transfer![0]!.name.replace('engine', 'client'));
  });

  it('a client added after ready gets its port at once', () => {
    const { supervisor, last, client } = setup();
    supervisor.start();
    last().ready();
    supervisor.addClient(client);
    expect(client.ports).toHaveLength(1);
  });

  it('kills an engine that never reports ready, and restarts it', () => {
    const { supervisor, children, fork } = setup();
    supervisor.start();
    vi.advanceTimersByTime(19_999);
    expect(children[0]!.killed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(children[0]!.killed).toBe(true);
    const status = supervisor.status();
    expect(status.state).toBe('restarting');
    expect(status.message).toMatch(/did not report ready within 20 s/);
    vi.advanceTimersByTime(status.restartInMs!);
    expect(fork).toHaveBeenCalledTimes(2);
  });

  it('pipes the engine\'s stdout and stderr line by line', () => {
    const { supervisor, last, output } = setup();
    supervisor.start();
    last().stdout.write('first line\nsecond ');
    last().stdout.write('half\n');
    last().stderr.write('boom\n');
    expect(output).toEqual(['stdout: first line', 'stdout: second half', 'stderr: boom']);
  });
});

describe('EngineSupervisor crash handling', () => {
  it('restarts a crashed engine within 1 s (the scheduled delay, not wall time)', () => {
    const { supervisor, last, fork } = setup();
    supervisor.start();
    last().ready();
    last().exit(1);
    const status = supervisor.status();
    expect(status.state).toBe('restarting');
    expect(status.message).toMatch(/exited unexpectedly \(code 1\)/);
    expect(status.restartInMs).toBeGreaterThan(0);
    expect(status.restartInMs).toBeLessThanOrEqual(1_000);
    vi.advanceTimersByTime(status.restartInMs! - 1);
    expect(fork).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(fork).toHaveBeenCalledTimes(2);
    expect(supervisor.status().state).toBe('starting');
  });

  it('backs off further on repeated crashes', () => {
    const { supervisor, last } = setup();
    supervisor.start();
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      last().exit(1);
      delays.push(supervisor.status().restartInMs!);
      vi.advanceTimersByTime(supervisor.status().restartInMs!);
    }
    expect(delays[0]).toBeLessThanOrEqual(1_000);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1]!);
  });

  it('pings a ready engine and leaves a healthy one alone', () => {
    const { supervisor, last } = setup();
    supervisor.start();
    last().ready();
    vi.advanceTimersByTime(5_000 * 6);
    expect(last().messagesOfType('ping').length).toBe(6);
    expect(last().killed).toBe(false);
    expect(supervisor.status().state).toBe('ready');
  });

  it('kills a hung engine (a ping goes unanswered) and restarts it', () => {
    const { supervisor, last, children, fork } = setup();
    supervisor.start();
    last().ready();
    children[0]!.autoPong = false;
    vi.advanceTimersByTime(5_000); // ping 1 sent, no pong
    expect(children[0]!.killed).toBe(false);
    vi.advanceTimersByTime(5_000); // still unanswered at the next tick: hung
    expect(children[0]!.killed).toBe(true);
    const status = supervisor.status();
    expect(status.state).toBe('restarting');
    expect(status.message).toMatch(/stopped responding/);
    vi.advanceTimersByTime(status.restartInMs!);
    expect(fork).toHaveBeenCalledTimes(2);
  });

  it('restarts even when a killed engine never exits', () => {
    const { supervisor, last, children, fork } = setup({ killGraceMs: 3_000 });
    supervisor.start();
    last().ready();
    children[0]!.autoPong = false;
    children[0]!.exitOnKill = false;
    vi.advanceTimersByTime(10_000);
    expect(children[0]!.killed).toBe(true);
    expect(supervisor.status().state).toBe('ready'); // still waiting for it to go
    vi.advanceTimersByTime(3_000);
    expect(supervisor.status().state).toBe('restarting');
    vi.advanceTimersByTime(supervisor.status().restartInMs!);
    expect(fork).toHaveBeenCalledTimes(2);
    children[0]!.exit(9); // a late exit from the old process changes nothing
    expect(supervisor.status().state).toBe('starting');
  });

  it('stops restarting after 5 crashes in 2 minutes and reports the error and the log folder', () => {
    const { supervisor, last, fork, statuses } = setup();
    supervisor.start();
    for (let i = 0; i < 5; i++) {
      last().ready();
      last().exit(134);
      if (i < 4) vi.advanceTimersByTime(supervisor.status().restartInMs!);
    }
    const status = supervisor.status();
    expect(status.state).toBe('failed');
    expect(status.message).toContain('5 times in 2 minutes');
    expect(status.message).toContain('code 134');
    expect(status.message).toContain(LOG_DIR);
    expect(status.logDir).toBe(LOG_DIR);
    expect(statuses.at(-1)!.state).toBe('failed');
    vi.advanceTimersByTime(10 * 60_000);
    expect(fork).toHaveBeenCalledTimes(5);
  });

  it('does not give up on crashes spread over more than 2 minutes', () => {
    const { supervisor, last } = setup();
    supervisor.start();
    for (let i = 0; i < 8; i++) {
      last().ready();
      vi.advanceTimersByTime(60_000);
      last().exit(1);
      vi.advanceTimersByTime(supervisor.status().restartInMs ?? 0);
    }
    expect(supervisor.status().state).toBe('starting');
  });

  it('"Restart voice engine" after giving up starts afresh', () => {
    const { supervisor, last, fork } = setup();
    supervisor.start();
    for (let i = 0; i < 5; i++) {
      last().exit(1);
      vi.advanceTimersByTime(supervisor.status().restartInMs ?? 0);
    }
    expect(supervisor.status().state).toBe('failed');
    supervisor.retry();
    expect(fork).toHaveBeenCalledTimes(6);
    last().ready();
    expect(supervisor.status().state).toBe('ready');
  });

  it('does not loop on a fatal start-up error: reports it at once', () => {
    const { supervisor, last, fork } = setup();
    supervisor.start();
    last().emit('message', { type: 'fatal', message: 'TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex characters.' });
    last().exit(2);
    const status = supervisor.status();
    expect(status.state).toBe('failed');
    expect(status.message).toContain('TWILIO_ACCOUNT_SID');
    expect(status.message).toContain(LOG_DIR);
    vi.advanceTimersByTime(60_000);
    expect(fork).toHaveBeenCalledTimes(1);
  });
});

describe('EngineSupervisor ports and stopping', () => {
  it('re-sends a fresh port to every client after a restart', () => {
    const { supervisor, children, last, client } = setup();
    const other = { ports: [] as FakePort[], deliver(port: FakePort) { this.ports.push(port); } };
    supervisor.addClient(client);
    supervisor.addClient(other);
    supervisor.start();
    last().ready();
    const firstPorts = [client.ports[0], other.ports[0]];
    last().exit(1);
    vi.advanceTimersByTime(supervisor.status().restartInMs!);
    last().ready();
    expect(children).toHaveLength(2);
    expect(children[1]!.messagesOfType('port')).toHaveLength(2);
    expect(client.ports).toHaveLength(2);
    expect(other.ports).toHaveLength(2);
    expect(client.ports[1]).not.toBe(firstPorts[0]);
    expect(other.ports[1]).not.toBe(firstPorts[1]);
    // each new client port pairs with a port the new engine received
    const engineSide = children[1]!.messagesOfType('port').map((p) => p.transfer![0]!.name.replace('engine', 'client'));
    expect(engineSide.sort()).toEqual([client.ports[1]!.name, other.ports[1]!.name].sort());
  });

  it('a removed client gets nothing more; requestPort gives a live client a new port', () => {
    const { supervisor, last, client } = setup();
    const remove = supervisor.addClient(client);
    supervisor.start();
    last().ready();
    supervisor.requestPort(client);
    expect(client.ports).toHaveLength(2);
    remove();
    supervisor.requestPort(client);
    expect(client.ports).toHaveLength(2);
  });

  it('send() reaches only a ready engine', () => {
    const { supervisor, last } = setup();
    supervisor.start();
    expect(supervisor.send({ type: 'answering', paused: true })).toBe(false);
    last().ready();
    expect(supervisor.send({ type: 'answering', paused: true })).toBe(true);
    expect(last().messagesOfType('answering')).toHaveLength(1);
  });

  it('stop() asks the engine to stop, resolves on exit and never restarts it', async () => {
    const { supervisor, last, fork } = setup();
    supervisor.start();
    last().ready();
    await supervisor.stop();
    expect(last().messagesOfType('stop')).toHaveLength(1);
    expect(last().killed).toBe(false);
    expect(supervisor.status().state).toBe('stopped');
    vi.advanceTimersByTime(60_000);
    expect(fork).toHaveBeenCalledTimes(1);
  });

  it('stop() kills an engine that ignores the request', async () => {
    const { supervisor, last } = setup({ stopTimeoutMs: 5_000 });
    supervisor.start();
    last().ready();
    last().exitOnStop = false;
    const stopped = supervisor.stop();
    vi.advanceTimersByTime(5_000);
    expect(last().killed).toBe(true);
    await stopped;
    expect(supervisor.status().state).toBe('stopped');
  });
});
