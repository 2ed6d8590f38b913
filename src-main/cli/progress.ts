import type { Progress } from '../common/progress';

/**
 * Progress on stderr (stdout stays clean for --json): one line rewritten in place on a
 * terminal, a line every few seconds otherwise, with an ETA from the rate so far.
 */
export function progressPrinter(stream: NodeJS.WriteStream = process.stderr): { update: (p: Progress) => void; done: () => void } {
  const tty = stream.isTTY === true;
  const started = Date.now();
  let stepStarted = started;
  let lastStep = '';
  let lastPrint = 0;
  let wrote = false;
  return {
    update(p: Progress): void {
      const now = Date.now();
      if (p.step !== lastStep) {
        lastStep = p.step;
        stepStarted = now;
      }
      const finished = p.current >= p.total;
      if (!finished && now - lastPrint < (tty ? 200 : 3000)) return;
      lastPrint = now;
      const share = p.total > 0 ? p.current / p.total : 1;
      const elapsed = (now - stepStarted) / 1000;
      const eta = share > 0 && !finished ? ` eta ${Math.ceil((elapsed / share) * (1 - share))} s` : '';
      const line = `${p.step.padEnd(9)} ${(100 * share).toFixed(0).padStart(3)}%${eta}${p.detail ? `  ${p.detail}` : ''}`;
      if (tty) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
      wrote = true;
    },
    done(): void {
      if (tty && wrote) stream.write('\r\x1b[2K');
    },
  };
}
