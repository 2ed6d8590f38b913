import { useState } from 'react';
import type { Method } from '../../src-main/common/methods';
import type { ArtifactInfo } from '../../src-main/common/report/kinds';
import { asServiceError, useTransport } from '../api/hooks';
import type { ServiceError } from '../api/transport';
import { ErrorBox } from '../ui/states';
import { exportCall, exportChoices } from './export-choice';

type Outcome = { readonly done: ArtifactInfo; readonly notes: readonly string[] } | { readonly error: ServiceError };

/**
 * Export on the Results screen: the service writes the file under artifacts/; the desktop app
 * asks where to save it first (a native save dialog), a browser downloads it from the bridge.
 */
export function ExportPanel({ ids, focus }: { ids: readonly number[]; focus: { readonly method: Method; readonly T: number } }) {
  const transport = useTransport();
  const choices = exportChoices(ids.length === 1);
  const [key, setKey] = useState(choices[0]!.key);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const chosen = choices.find((c) => c.key === key) ?? choices[0]!;

  const run = async (): Promise<void> => {
    const call = exportCall(chosen.choice, ids, focus);
    setOutcome(undefined);
    let out: string | undefined;
    if (transport.pickSavePath) {
      out = await transport.pickSavePath(call.fileName);
      if (out === undefined) return;
    }
    setBusy(true);
    try {
      const done =
        call.handler === 'runs.report'
          ? { ...(await transport.call('runs.report', { ...call.args, ...(out !== undefined ? { out } : {}) })), notes: [] as readonly string[] }
          : await transport.call('runs.export', { ...call.args, ...(out !== undefined ? { out } : {}) });
      if (out === undefined && transport.download) await transport.download(done.id, done.fileName);
      setOutcome({ done, notes: done.notes });
    } catch (error) {
      setOutcome({ error: asServiceError(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="card controls" role="group" aria-label="export">
      <label>
        Export
        <select value={chosen.key} onChange={(e) => setKey(e.target.value)}>
          {choices.map((c) => (
            <option key={c.key} value={c.key}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={busy} onClick={() => void run()}>
        {busy ? 'Exporting…' : 'Export'}
      </button>
      {outcome !== undefined && 'done' in outcome && (
        <p role="status">
          {outcome.done.writtenTo !== undefined ? `Saved ${outcome.done.writtenTo}` : `Exported ${outcome.done.fileName}`} ({outcome.done.bytes.toLocaleString('en')} bytes)
          {outcome.notes.map((n) => (
            <span key={n} className="warning">
              {' '}
              {n}
            </span>
          ))}
        </p>
      )}
      {outcome !== undefined && 'error' in outcome && <ErrorBox error={outcome.error} />}
    </div>
  );
}
