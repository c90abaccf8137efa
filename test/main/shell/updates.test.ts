// Auto-update stays off (the updater is not even loaded) until a publish target is configured,
// which electron-builder signals by writing app-update.yml into the resources.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAutoUpdate } from '../../../src/main/shell/updates.ts';

function harness(resourcesPath: string, isPackaged = true) {
  const logs: string[] = [];
  let loads = 0;
  let checks = 0;
  const opts = {
    isPackaged,
    resourcesPath,
    exists: existsSync,
    log: (m: string) => logs.push(m),
    intervalMs: 20,
    loadUpdater: async () => {
      loads++;
      return {
        checkForUpdatesAndNotify: async () => {
          checks++;
          if (checks === 2) throw new Error('offline');
        },
      };
    },
  };
  return { opts, logs, loads: () => loads, checks: () => checks };
}

describe('auto-update', () => {
  it('is off, without loading the updater, in development and without a publish target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gct-res-'));
    const dev = harness(dir, false);
    expect((await startAutoUpdate(dev.opts)).state).toBe('off: development build');
    const unpublished = harness(dir);
    expect((await startAutoUpdate(unpublished.opts)).state).toBe('off: no publish target configured');
    expect(dev.loads() + unpublished.loads()).toBe(0);
    expect(unpublished.logs).toEqual(['auto-update off: no publish target configured']);
  });

  it('with a publish target, checks at start and then periodically, surviving a failed check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gct-res-'));
    writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://updates.example.com/\n');
    const h = harness(dir);
    const running = await startAutoUpdate(h.opts);
    expect(running.state).toBe('on');
    await new Promise((r) => setTimeout(r, 90));
    running.stop();
    expect(h.loads()).toBe(1);
    expect(h.checks()).toBeGreaterThanOrEqual(3);
    expect(h.logs).toContain('auto-update check failed: offline');
  });
});
