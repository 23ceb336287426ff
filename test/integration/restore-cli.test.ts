import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEngineProcess } from '../harness/engine-process.js';

const CLI = resolve(import.meta.dirname, '../../voice-engine/dist/restore-cli.js');

function restore(dataDir: string, file: string, port: number) {
  return spawnSync(process.execPath, [CLI, file], { encoding: 'utf8', env: { PATH: process.env.PATH, DESKLINE_DATA_DIR: dataDir, DESKLINE_DASHBOARD_PORT: String(port) } });
}

describe('npm run restore', () => {
  it('refuses while Deskline runs; restores a backup once it is stopped, and says what it did', async () => {
    const engine = await startEngineProcess({});
    const port = Number(new URL(engine.staffUrl).port);
    const backup = await fetch(`${engine.staffUrl}/api/handlers/backups/run`, { method: 'POST', headers: { Authorization: `Bearer ${engine.token}`, 'Content-Type': 'application/json' }, body: '{}' });
    const { value } = (await backup.json()) as { value: { file: string } };
    const refused = restore(engine.dataDir, value.file, port);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/Deskline is running/);
    await engine.stop();
    const done = restore(engine.dataDir, value.file, port);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toMatch(/^Restored .*deskline-\d{8}-\d{6}\.sqlite into .*deskline\.sqlite/);
    expect(done.stdout).toMatch(/The database it replaced is kept at .*before-restore-/);
    expect(done.stdout).toMatch(/  calls: 0/);
    const again = await startEngineProcess({}, { dataDir: engine.dataDir });
    expect((await fetch(`${again.staffUrl}/health/live`)).status).toBe(200);
    await again.stop();
  });
});
