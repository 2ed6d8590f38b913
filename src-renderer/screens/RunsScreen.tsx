import { useState } from 'react';
import type { RunRow } from '../../src-main/common/contract';
import type { JobProgress } from '../../src-main/common/progress';
import { useAction, useCall, useServiceEvents, useTransport } from '../api/hooks';
import { formatRoute } from '../app/routes';
import { Empty, ErrorBox, Loading, ProgressBar, StatusBadge, formatDuration } from '../ui/states';

/** Runs: the queue and the history, live progress with ETA, cancel, resume, logs, compare. */
export function RunsScreen() {
  const transport = useTransport();
  const runs = useCall('runs.list', { limit: 200 });
  const [live, setLive] = useState<Record<number, JobProgress>>({});
  const [picked, setPicked] = useState<number[]>([]);
  const [logsOf, setLogsOf] = useState<number>();
  const action = useAction();
  useServiceEvents((m) => {
    if (m.event === 'job.progress') {
      setLive((l) => ({ ...l, [m.data.jobId]: m.data.progress }));
      // A job that just started: fetch its new status.
      if (runs.data?.some((r) => r.job.id === m.data.jobId && r.job.status !== 'running')) runs.reload();
    }
    if (m.event === 'job.finished') runs.reload();
  });
  if (runs.error && runs.data === undefined) return <ErrorBox error={runs.error} onRetry={runs.reload} />;
  if (runs.data === undefined) return <Loading what="runs" />;
  const act = (f: () => Promise<unknown>): void => void action.run(f).then(() => runs.reload());
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      <ErrorBox error={action.error} />
      {runs.data.length === 0 ? (
        <Empty>
          No runs yet: start one from <a href={formatRoute({ screen: 'convert' })}>Convert</a>.
        </Empty>
      ) : (
        <>
          <p>
            <a className={picked.length > 0 ? 'button' : 'button disabled'} aria-disabled={picked.length === 0} href={picked.length > 0 ? formatRoute({ screen: 'results', runs: picked }) : undefined}>
              Compare {picked.length} selected
            </a>
          </p>
          <table className="table" aria-label="runs">
            <thead>
              <tr>
                <th>
                  <span className="visually-hidden">Select</span>
                </th>
                <th>Run</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Model / dataset</th>
                <th>Methods</th>
                <th>T</th>
                <th>Thresholds, v0</th>
                <th>Started</th>
                <th>Took</th>
                <th className="num">Units</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {runs.data.map((r) => (
                <RunLine
                  key={r.id}
                  run={r}
                  progress={r.job.status === 'running' ? live[r.job.id] ?? r.job.progress : r.job.progress}
                  picked={picked.includes(r.id)}
                  onPick={(on) => setPicked((p) => (on ? [...p, r.id] : p.filter((x) => x !== r.id)))}
                  onCancel={() => act(() => transport.call('runs.cancel', { id: r.id }))}
                  onResume={() => act(() => transport.call('runs.resume', { id: r.id }))}
                  onLogs={() => setLogsOf(logsOf === r.job.id ? undefined : r.job.id)}
                  busy={action.busy}
                />
              ))}
            </tbody>
          </table>
        </>
      )}
      {logsOf !== undefined && <JobLogs jobId={logsOf} />}
    </section>
  );
}

function RunLine(props: { run: RunRow; progress: JobProgress | null; picked: boolean; busy: boolean; onPick: (on: boolean) => void; onCancel: () => void; onResume: () => void; onLogs: () => void }) {
  const { run: r, progress: p } = props;
  const active = r.job.status === 'queued' || r.job.status === 'running';
  const resumable = r.job.status === 'interrupted' || r.job.status === 'failed' || r.job.status === 'cancelled';
  return (
    <tr data-run={r.id} data-status={r.job.status}>
      <td>
        <input type="checkbox" aria-label={`select run ${r.id}`} checked={props.picked} disabled={r.job.status !== 'succeeded'} onChange={(e) => props.onPick(e.target.checked)} />
      </td>
      <td>
        {r.job.status === 'succeeded' ? <a href={formatRoute({ screen: 'results', runs: [r.id] })}>#{r.id}</a> : `#${r.id}`}
        {r.name !== undefined && <div className="run-name">{r.name}</div>}
      </td>
      <td>
        <StatusBadge status={r.job.status} />
        {r.job.error && <div className="field-error">{r.job.error.message}</div>}
      </td>
      <td className="progress-cell">
        {active && p && (
          <>
            <ProgressBar current={p.current} total={p.total} label={`run ${r.id} progress`} />
            <span className="muted">
              {p.step} {p.total > 0 ? Math.round((100 * p.current) / p.total) : 0}%{p.etaMs !== null ? `, ${formatDuration(p.etaMs)} left` : ''}
            </span>
          </>
        )}
      </td>
      <td>
        <a href={formatRoute({ screen: 'models', id: r.modelId })}>model {r.modelId}</a> / <a href={formatRoute({ screen: 'datasets', id: r.datasetId })}>dataset {r.datasetId}</a>
      </td>
      <td>{r.methods.join(', ')}</td>
      <td>{r.timesteps.join(', ')}</td>
      <td>
        {r.threshold}, v0 {r.v0 === 'half' ? 'θ/2' : '0'}
      </td>
      <td>{r.job.startedAt ? <time dateTime={r.job.startedAt}>{r.job.startedAt.slice(0, 16).replace('T', ' ')}</time> : '–'}</td>
      <td>{r.job.startedAt && r.job.finishedAt ? formatDuration(Date.parse(r.job.finishedAt) - Date.parse(r.job.startedAt)) : '–'}</td>
      <td className="num">
        {r.unitsDone} / {r.unitsPlanned}
      </td>
      <td className="actions">
        {active && (
          <button type="button" onClick={props.onCancel} disabled={props.busy}>
            Cancel
          </button>
        )}
        {resumable && (
          <button type="button" onClick={props.onResume} disabled={props.busy}>
            Resume
          </button>
        )}
        <button type="button" onClick={props.onLogs}>
          Logs
        </button>
        <a className="button" href={formatRoute({ screen: 'convert', from: r.id })} aria-label={`edit and re-run run ${r.id}`}>
          Re-run…
        </a>
      </td>
    </tr>
  );
}

function JobLogs({ jobId }: { jobId: number }) {
  const logs = useCall('jobs.logs', { id: jobId });
  useServiceEvents((m) => m.event === 'log' && m.data.jobId === jobId && logs.reload());
  return (
    <div className="card" aria-label={`logs of job ${jobId}`}>
      <h3>Logs of job {jobId}</h3>
      <ErrorBox error={logs.error} onRetry={logs.reload} />
      {logs.data?.length === 0 && <Empty>No log lines.</Empty>}
      <ul className="logs">
        {logs.data?.map((l) => (
          <li key={l.id} className={`log-${l.level}`}>
            <time>{l.at.slice(11, 19)}</time> {l.level}: {l.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
