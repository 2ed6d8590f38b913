import { useState, type FormEvent } from 'react';
import type { DatasetRow } from '../../src-main/common/contract';
import { useAction, useCall, useServiceEvents, useTransport } from '../api/hooks';
import { formatRoute } from '../app/routes';
import { Empty, ErrorBox, Loading, formatCount } from '../ui/states';
import { DatasetDetail } from './DatasetDetail';
import { PathField } from './PathField';

/** Datasets: register a folder or an event file, the list, and one dataset's details. */
export function DatasetsScreen({ id }: { id: number | undefined }) {
  const list = useCall('datasets.list', {});
  useServiceEvents((m) => m.event === 'job.finished' && list.reload());
  return (
    <section aria-labelledby="datasets-title">
      <h1 id="datasets-title">Datasets</h1>
      <RegisterDataset onQueued={list.reload} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data === undefined ? list.loading && <Loading what="datasets" /> : <DatasetTable rows={list.data} selected={id} />}
      {id !== undefined && <DatasetDetail id={id} onRemoved={list.reload} />}
    </section>
  );
}

function RegisterDataset({ onQueued }: { onQueued: () => void }) {
  const transport = useTransport();
  const action = useAction();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [queued, setQueued] = useState<number>();
  const [failed, setFailed] = useState<string>();
  useServiceEvents((m) => {
    if (m.event !== 'job.finished' || m.data.jobId !== queued) return;
    setQueued(undefined);
    if (m.data.error) setFailed(m.data.error.message);
  });
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setFailed(undefined);
    const job = await action.run(() => transport.call('datasets.import', { path: path.trim(), ...(name.trim() ? { name: name.trim() } : {}) }));
    if (job) {
      setQueued(job.id);
      setPath('');
      setName('');
      onQueued();
    }
  };
  return (
    <form className="card form-row" onSubmit={(e) => void submit(e)} aria-label="register a dataset">
      <PathField label="Folder or event file" value={path} onChange={setPath} kind="folder" />
      <label>
        Name (optional)
        <input value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="submit" disabled={action.busy || path.trim() === ''}>
        Register
      </button>
      {queued !== undefined && !action.error && <span className="muted" role="status">Indexing (job {queued})…</span>}
      <ErrorBox error={action.error} />
      {failed && (
        <div className="error" role="alert">
          Indexing failed: {failed}
        </div>
      )}
    </form>
  );
}

function DatasetTable({ rows, selected }: { rows: readonly DatasetRow[]; selected: number | undefined }) {
  if (rows.length === 0) return <Empty>No datasets yet: register a dataset folder (N-MNIST, DVS Gesture, CIFAR-10, MNIST IDX, class folders…) or a single event file.</Empty>;
  return (
    <table className="table" aria-label="datasets">
      <thead>
        <tr>
          <th>Name</th>
          <th>Kind</th>
          <th>Format</th>
          <th className="num">Samples</th>
          <th className="num">Classes</th>
          <th>Size</th>
          <th>Path</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((d) => (
          <tr key={d.id} className={d.id === selected ? 'selected' : undefined}>
            <td>
              <a href={formatRoute({ screen: 'datasets', id: d.id })}>{d.name}</a>
            </td>
            <td>{d.kind}</td>
            <td>{d.layout}</td>
            <td className="num">{formatCount(d.samples)}</td>
            <td className="num">{d.classes.length}</td>
            <td>{d.shape ? d.shape.join('×') : d.sensor ? `${d.sensor.width}×${d.sensor.height} sensor` : '—'}</td>
            <td className="path">{d.path}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
