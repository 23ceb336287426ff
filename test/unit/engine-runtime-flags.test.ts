import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_EXEC_ARGV } from '../../electron/engine-process.js';

describe("the engine's runtime flags", () => {
  it('npm run serve starts the engine with the same flags as the desktop app', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { scripts: Record<string, string> };
    const launch = /\bnode ((?:--[\w-]+(?:=\S+)? )*)voice-engine\/dist\/main\.js/.exec(pkg.scripts.serve!);
    expect(launch, 'serve runs node voice-engine/dist/main.js').not.toBeNull();
    expect(launch![1]!.trim().split(' ').filter(Boolean)).toEqual([...ENGINE_EXEC_ARGV]);
  });
});
