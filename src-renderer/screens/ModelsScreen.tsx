import { useState, type FormEvent } from 'react';
import type { ModelRow } from '../../src-main/common/contract';
import { useAction, useCall, useServiceEvents, useTransport } from '../api/hooks';
import { formatRoute } from '../app/routes';
import { Empty, ErrorBox, Loading, formatCount } from '../ui/states';
import { PathField } from './PathField';
import { RemoveButton } from '../ui/RemoveButton';

/** Models: import a file, the list, and one model's layer table with conversion warnings. */
export function ModelsScreen({ id }: { id: number | undefined }) {
  const list = useCall('models.list', {});
  useServiceEvents((m) => m.event === 'job.finished' && list.reload());
  return (
    <section aria-labelledby="models-title">
      <h1 id="models-title">Models</h1>
      <ImportModel onQueued={list.reload} />
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data === undefined ? list.loading && <Loading what="models" /> : <ModelTable rows={list.data} selected={id} />}
      {id !== undefined && <ModelDetail id={id} onRemoved={list.reload} />}
    </section>
  );
}

function ImportModel({ onQueued }: { onQueued: () => void }) {
  const transport = useTransport();
  const action = useAction();
  const [path, setPath] = useState('');
  const [weights, setWeights] = useState('');
  const [queued, setQueued] = useState<number>();
  const [failed, setFailed] = useState<string>();
  useServiceEvents((m) => {
    if (m.event === 'job.finished' && m.data.jobId === queued && m.data.error) setFailed(m.data.error.message);
  });
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setFailed(undefined);
    const weightsPath = weights.trim();
    const job = await action.run(() => transport.call('models.import', { path: path.trim(), ...(weightsPath ? { weights: weightsPath } : {}) }));
    if (job) {
      setQueued(job.id);
      setPath('');
      setWeights('');
      onQueued();
    }
  };
  return (
    <form className="card form-row" onSubmit={(e) => void submit(e)} aria-label="import a model">
      <PathField label="Model file (ONNX, Keras .h5/.keras or architecture .json, TF.js model.json, .tppw)" value={path} onChange={setPath} kind="file" />
      <PathField label="Weights file (a Keras architecture .json only: the .h5 from model.save_weights)" value={weights} onChange={setWeights} kind="file" optional />
      <button type="submit" disabled={action.busy || path.trim() === ''}>
        Import
      </button>
      <ErrorBox error={action.error} />
      {failed && (
        <div className="error" role="alert">
          Import failed: {failed}
        </div>
      )}
    </form>
  );
}

function ModelTable({ rows, selected }: { rows: readonly ModelRow[]; selected: number | undefined }) {
  if (rows.length === 0) return <Empty>No models yet: import an ONNX, Keras, TensorFlow.js or .tppw file.</Empty>;
  return (
    <table className="table" aria-label="models">
      <thead>
        <tr>
          <th>Name</th>
          <th>Format</th>
          <th className="num">Parameters</th>
          <th className="num">MACs</th>
          <th>SHA-256</th>
          <th>Source</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.id} className={m.id === selected ? 'selected' : undefined}>
            <td>
              <a href={formatRoute({ screen: 'models', id: m.id })}>{m.name}</a>
            </td>
            <td>{m.format}</td>
            <td className="num">{formatCount(m.params)}</td>
            <td className="num">{formatCount(m.macs)}</td>
            <td>
              <code title={m.sha256}>{m.sha256.slice(0, 12)}</code>
            </td>
            <td className="path">{m.sourcePath}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ModelDetail({ id, onRemoved }: { id: number; onRemoved: () => void }) {
  const model = useCall('models.show', { id });
  if (model.error) return <ErrorBox error={model.error} onRetry={model.reload} />;
  if (model.data === undefined) return <Loading what="the model" />;
  const { summary: s, name } = model.data;
  return (
    <article className="card" aria-label={`model ${name}`}>
      <h3>{name}</h3>
      <p>
        Input {s.input.name} {s.input.shape.join('×')} → output {s.output.name} {s.output.shape.join('×')}; {s.totals.nodes} nodes, {formatCount(s.totals.params)} parameters,{' '}
        {formatCount(s.totals.macs)} MACs, {s.totals.spikingLayers} layers to convert.
        {s.preprocessing ? ` Input scaling x·${s.preprocessing.scale} + ${s.preprocessing.offset}.` : ' The model does not record its input scaling.'}
      </p>
      {s.warnings.length > 0 && (
        <ul className="warnings" aria-label="conversion warnings">
          {s.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <p>
        <a className="button" href={formatRoute({ screen: 'convert', modelId: id })}>
          Convert this model
        </a>{' '}
        <RemoveButton what="this model" id={id} handler="models.remove" onRemoved={() => (onRemoved(), (window.location.hash = formatRoute({ screen: 'models' })))} />
      </p>
      <table className="table compact" aria-label="layers">
        <thead>
          <tr>
            <th>Node</th>
            <th>Op</th>
            <th>Input shapes</th>
            <th>Output shape</th>
            <th className="num">Params</th>
            <th className="num">MACs</th>
            <th>Warnings</th>
          </tr>
        </thead>
        <tbody>
          {s.nodes.map((n) => (
            <tr key={n.name} className={n.warnings.length > 0 ? 'warn-row' : undefined}>
              <td>{n.name}</td>
              <td>{n.op}</td>
              <td>{n.inputShapes.map((sh) => sh.join('×')).join(', ')}</td>
              <td>{n.outputShape.join('×')}</td>
              <td className="num">{formatCount(n.params)}</td>
              <td className="num">{formatCount(n.macs)}</td>
              <td>{n.warnings.join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}
