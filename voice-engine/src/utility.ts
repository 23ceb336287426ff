import { serveContract } from './api/contract-session.js';
import { ConfigError } from './config.js';
import { startEngine, type RunningEngine } from './engine.js';
import { ShellKeeper, type SecretName } from './secrets/keeper.js';
import { DatabaseTooNewError } from './store/migrations/index.js';

/**
 * Entry point inside Electron's utilityProcess. The desktop shell talks to it over
 * process.parentPort with these messages:
 *   engine → shell: {type:'ready', publicPort, dashboardPort} | {type:'pong', id} |
 *                   {type:'activity', liveCalls} | {type:'fatal', message} |
 *                   {type:'secret-update', name, value} (a secret entered or obtained here, for the keychain)
 *   shell → engine: {type:'ping', id} | {type:'port'} with ports[0] (a renderer's or main's channel) |
 *                   {type:'secrets', values:{twilioAuthToken?, openaiApiKey?, googleRefreshToken?}} (null: none held) |
 *                   {type:'answering', paused} | {type:'secret-stored', name, ok, problem?} | {type:'stop'}
 */

interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): void;
  postMessage(message: unknown): void;
}

type ShellMessage =
  | { type: 'ping'; id: number }
  | { type: 'port' }
  | { type: 'secrets'; values: Partial<Record<SecretName, string | null>> }
  | { type: 'answering'; paused: boolean }
  | { type: 'secret-stored'; name: SecretName; ok: boolean; problem?: string }
  | { type: 'stop' };

function attachRenderer(engine: RunningEngine, port: PortLike): void {
  const session = serveContract({ send: (message) => port.postMessage(message) }, engine.gate, engine.events, { origin: 'desktop window', api: false, sessionHash: null });
  port.on('message', (e) => session.receive(e.data));
  port.on('close', () => session.close());
  port.start();
}

async function main(parent: ParentPort): Promise<void> {
  let engine: RunningEngine;
  try {
    const secrets = new ShellKeeper((name, value) => parent.postMessage({ type: 'secret-update', name, value }));
    engine = await startEngine(process.env, { secrets });
  } catch (err) {
    const known = err instanceof ConfigError || err instanceof DatabaseTooNewError;
    parent.postMessage({ type: 'fatal', message: known ? (err as Error).message : `The voice engine could not start: ${(err as Error).message}` });
    process.exit(2);
  }
  const reportActivity = () => parent.postMessage({ type: 'activity', liveCalls: engine.liveCallCount() });
  engine.events.subscribe((e) => {
    if (e.event === 'call.started' || e.event === 'call.ended' || e.event === 'call.updated') reportActivity();
  });
  parent.on('message', (e) => {
    const message = e.data as ShellMessage;
    switch (message?.type) {
      case 'ping':
        parent.postMessage({ type: 'pong', id: message.id });
        return;
      case 'port':
        if (e.ports[0]) attachRenderer(engine, e.ports[0]);
        return;
      case 'secrets':
        engine.applySecrets(message.values ?? {});
        return;
      case 'answering':
        engine.setPaused(message.paused === true);
        return;
      case 'secret-stored':
        if (!message.ok) process.stderr.write(`The desktop app could not keep the ${message.name} secret: ${message.problem ?? 'no reason given'}\n`);
        return;
      case 'stop':
        void engine.stop().then(() => process.exit(0));
        return;
    }
  });
  parent.postMessage({ type: 'ready', publicPort: engine.publicPort, dashboardPort: engine.dashboardPort });
}

const parent = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parent) {
  process.stderr.write('voice-engine/dist/utility.js runs inside the Deskline desktop app; to run the engine on its own use npm run serve.\n');
  process.exit(2);
}
void main(parent);
