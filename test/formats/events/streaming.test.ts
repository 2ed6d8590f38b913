import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rawHeader } from '../../../src-main/formats/events/prophesee-header';
import { REPO_ROOT } from '../../helpers/fixtures';

/**
 * A generated 2 GiB EVT 3.0 file decodes in bounded memory: the decoder holds one 4 MiB chunk
 * and one batch of events at a time. The stream repeats a 16-word pattern (a row address, one
 * event, 14 TIME_LOW words) with TIME_HIGH advancing every block, so it is 2 GiB of real words
 * with 64 M events. The decode runs in a child process so its peak memory is its own.
 */
describe('streaming a 2 GiB EVT 3.0 file', () => {
  it('keeps resident memory under 400 MB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tppw-stream-'));
    const path = join(dir, 'big.raw');
    const words = 2 * 1024 * 1024; // 4 MiB blocks
    const blocks = 512; // 2 GiB
    const block = new Uint16Array(words);
    try {
      const fd = openSync(path, 'w');
      writeSync(fd, rawHeader('3.0', { width: 1280, height: 720 }));
      for (let b = 0; b < blocks; b++) {
        block[0] = (0x8 << 12) | (b % 4096);
        for (let i = 1; i < words; i += 16) {
          block[i] = (i >> 4) % 720; // EVT_ADDR_Y
          block[i + 1] = (0x2 << 12) | (1 << 11) | ((i >> 4) % 1280); // EVT_ADDR_X, ON
          for (let k = 2; k < 16 && i + k < words; k++) block[i + k] = (0x6 << 12) | ((i >> 10) & 0xfff); // EVT_TIME_LOW
        }
        writeSync(fd, new Uint8Array(block.buffer));
      }
      closeSync(fd);
      const child = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test', 'helpers', 'stream-memory.ts'), path], { encoding: 'utf8', cwd: REPO_ROOT });
      expect(child.status, child.stderr).toBe(0);
      const result = JSON.parse(child.stdout.trim());
      expect(result.bytes).toBeGreaterThan(2 * 1024 ** 3);
      expect(result.events).toBe(blocks * Math.ceil((words - 1) / 16));
      console.log(`2 GiB EVT 3.0: ${result.events} events, peak resident memory ${result.maxRssMb.toFixed(0)} MB`);
      expect(result.maxRssMb).toBeLessThan(400);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
