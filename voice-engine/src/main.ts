import { ConfigError } from './config.js';
import { startEngine } from './engine.js';
import { DatabaseTooNewError } from './store/migrations/index.js';

/** Headless entry point: `npm run serve`. Problems an operator can fix are one line, never a stack. */
async function main(): Promise<void> {
  let engine;
  try {
    engine = await startEngine(process.env, { announceLoginUrl: (url) => process.stdout.write(`Next one-time dashboard login link: ${url}\n`) });
  } catch (err) {
    if (err instanceof ConfigError || err instanceof DatabaseTooNewError) {
      process.stderr.write(`Deskline cannot start: ${err.message}\n`);
      process.exit(2);
    }
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      process.stderr.write(`Deskline cannot start: ${(err as Error).message}. Set DESKLINE_PUBLIC_PORT or DESKLINE_DASHBOARD_PORT to a free port.\n`);
      process.exit(2);
    }
    throw err;
  }
  const { publicPort, dashboardPort, config } = engine;
  process.stdout.write(
    `Deskline engine ready: Twilio listener http://${config.publicHost}:${publicPort} (public URL ${config.publicBaseUrl?.origin ?? 'not set'}), ` +
      `staff API http://127.0.0.1:${dashboardPort}, data in ${config.dataDir}\n` +
      `Open the dashboard with this one-time link: ${engine.loginUrl()}\n`,
  );
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void engine.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
