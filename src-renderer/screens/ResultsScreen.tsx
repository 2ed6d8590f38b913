import { useEffect, useState } from 'react';
import type { RunDetail } from '../../src-main/common/contract';
import { type Method } from '../../src-main/common/methods';
import { energyModelText } from '../../src-main/common/results';
import { asServiceError, useCall, useTransport } from '../api/hooks';
import type { ServiceError } from '../api/transport';
import { formatRoute } from '../app/routes';
import { AccuracyChart } from '../results/AccuracyChart';
import { EnergyChart } from '../results/EnergyChart';
import { ExportPanel } from '../results/ExportPanel';
import { ClassAccuracy } from '../results/ClassAccuracy';
import { MisalignmentSideBySide } from '../results/SpikeRaster';
import { AttributionView, StepAccuracy } from '../results/WhereAccuracyGoes';
import { MisalignmentTables } from '../results/MisalignmentTables';
import { misalignmentTables } from '../../src-main/common/misalignment';
import { LayerCharts } from '../results/LayerCharts';
import { asRunResult, layerRows, type LabelledRun } from '../results/series';
import { LayerNumbers, RunNumbers } from '../results/NumbersTable';
import { SpikeHeatMap } from '../results/SpikeHeatMap';
import { Empty, ErrorBox, Loading, formatCount } from '../ui/states';

/** Results of one run or several side by side: accuracy, energy, layers, spike timing. */
export function ResultsScreen({ runs }: { runs: readonly number[] }) {
  if (runs.length === 0) return <PickRuns />;
  return <Compare ids={runs} />;
}

function PickRuns() {
  const list = useCall('runs.list', { limit: 200 });
  const done = list.data?.filter((r) => r.job.status === 'succeeded') ?? [];
  const [file, setFile] = useState<{ name: string; result?: LabelledRun; error?: string }>();
  const open = async (f: File | undefined): Promise<void> => {
    if (f === undefined) return;
    try {
      setFile({ name: f.name, result: { id: 0, result: asRunResult(JSON.parse(await f.text())) } });
    } catch (e) {
      setFile({ name: f.name, error: (e as Error).message });
    }
  };
  if (file?.result) return <ResultsView runs={[file.result]} title={`Results in ${file.name}`} />;
  return (
    <section aria-labelledby="results-title">
      <h1 id="results-title">Results</h1>
      <ErrorBox error={list.error} onRetry={list.reload} />
      {list.data === undefined ? (
        <Loading what="runs" />
      ) : done.length === 0 ? (
        <Empty>No finished runs yet.</Empty>
      ) : (
        <ul>
          {done.map((r) => (
            <li key={r.id}>
              <a href={formatRoute({ screen: 'results', runs: [r.id] })}>
                Run #{r.id}: {r.methods.join(', ')} at T = {r.timesteps.join(', ')}
              </a>
            </li>
          ))}
        </ul>
      )}
      <label className="card">
        Or open a result file written by tppw convert --out (JSON)
        <input type="file" accept="application/json,.json" onChange={(e) => void open(e.target.files?.[0])} />
      </label>
      {file?.error && (
        <p className="error" role="alert">
          {file.name}: {file.error}
        </p>
      )}
    </section>
  );
}

function useRuns(ids: readonly number[]): { runs?: RunDetail[]; error?: ServiceError } {
  const transport = useTransport();
  const [state, setState] = useState<{ runs?: RunDetail[]; error?: ServiceError }>({});
  const key = ids.join(',');
  useEffect(() => {
    let live = true;
    setState({});
    Promise.all(key.split(',').map((id) => transport.call('runs.show', { id: Number(id) }))).then(
      (runs) => live && setState({ runs }),
      (error: unknown) => live && setState({ error: asServiceError(error) }),
    );
    return () => {
      live = false;
    };
  }, [transport, key]);
  return state;
}

function Compare({ ids }: { ids: readonly number[] }) {
  const { runs, error } = useRuns(ids);
  const models = useCall('models.list', {});
  const datasets = useCall('datasets.list', {});
  if (error) return <ErrorBox error={error} />;
  if (runs === undefined) return <Loading what={`run${ids.length > 1 ? 's' : ''} ${ids.join(', ')}`} />;
  const unfinished = runs.filter((r) => r.result === null);
  const labelled: LabelledRun[] = runs.filter((r) => r.result !== null).map((r) => ({ id: r.id, result: r.result! }));
  if (labelled.length === 0) {
    return <Empty>Run {unfinished.map((r) => `#${r.id} (${r.job.status})`).join(', ')} has no result yet.</Empty>;
  }
  // Registered names, not the graph names files carry (CNTKGraph, main_graph).
  const names = new Map(
    runs.map((r) => [r.id, { model: models.data?.find((m) => m.id === r.modelId)?.name, dataset: datasets.data?.find((d) => d.id === r.datasetId)?.name }]),
  );
  const runNames = new Map(runs.filter((r) => r.name !== undefined).map((r) => [r.id, r.name!]));
  const only = runs.find((r) => r.id === labelled[0]!.id)!;
  const title = labelled.length > 1 ? `Results of ${labelled.length} runs` : `Results of run #${only.id}${only.name !== undefined ? `: ${only.name}` : ''}`;
  return <ResultsView runs={labelled} names={names} runNames={runNames} title={title} unfinished={unfinished.map((r) => `#${r.id} (${r.job.status})`)} />;
}

function ResultsView({
  runs: labelled,
  title,
  unfinished = [],
  names,
  runNames,
}: {
  runs: readonly LabelledRun[];
  title: string;
  unfinished?: readonly string[];
  names?: ReadonlyMap<number, { model?: string | undefined; dataset?: string | undefined }>;
  runNames?: ReadonlyMap<number, string>;
}) {
  const [focus, setFocus] = useState<{ run: number; method: Method; T: number }>();
  const first = labelled[0]!;
  const chosen = focus && labelled.find((r) => r.id === focus.run) ? focus : { run: first.id, method: first.result.results[0]!.method, T: Math.max(...first.result.config.timesteps) };
  const focused = labelled.find((r) => r.id === chosen.run)!.result;
  const focusedLayers = layerRows(focused, chosen.method, chosen.T);
  const misalignment = labelled.length > 1 ? misalignmentTables(labelled.map((r) => r.result)) : [];
  return (
    <section aria-labelledby="results-title" data-runs={labelled.length}>
      <h1 id="results-title">{title}</h1>
      {unfinished.length > 0 && <p className="warning">Not finished: {unfinished.join(', ')}.</p>}
      <table className="table compact" aria-label="runs compared">
        <thead>
          <tr>
            <th>Run</th>
            <th>Model</th>
            <th>Dataset</th>
            <th className="num">Samples</th>
            <th>Thresholds</th>
            <th className="num">ANN</th>
            <th>Backend</th>
          </tr>
        </thead>
        <tbody>
          {labelled.map(({ id, result: r }) => (
            <tr key={id}>
              <td>
                #{id}
                {runNames?.get(id) !== undefined && <div className="run-name">{runNames.get(id)}</div>}
              </td>
              <td title={r.model}>{names?.get(id)?.model ?? r.model}</td>
              <td className="path" title={r.dataset}>{names?.get(id)?.dataset ?? r.dataset}</td>
              <td className="num">{formatCount(r.samples)}</td>
              <td>
                {r.config.threshold} {r.config.perChannel ? 'per channel' : 'per layer'}, reset {r.config.reset}, v0 {r.config.v0 === 'half' ? 'θ/2' : '0'}
              </td>
              <td className={r.ann.sanityWarning === undefined ? 'num' : 'num alert-cell'}>{(100 * r.ann.accuracy).toFixed(2)}%</td>
              <td title={r.backendDetail}>{r.backendDetail ?? r.backend}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {labelled.every((r) => r.id > 0) && <ExportPanel ids={labelled.map((r) => r.id)} focus={{ method: chosen.method, T: chosen.T }} />}
      {labelled.map(({ id, result }) =>
        result.ann.sanityWarning === undefined ? null : (
          <p key={`sanity${id}`} role="alert" className="alert">
            #{id}: {result.ann.sanityWarning}
          </p>
        ),
      )}
      {labelled.flatMap(({ id, result }) =>
        result.warnings.filter((w) => w !== result.ann.sanityWarning).map((w) => <p key={`${id}${w}`} className="warning">#{id}: {w}</p>),
      )}
      {misalignment.length > 0 && <MisalignmentTables tables={misalignment} />}
      <figure className="card" aria-label="accuracy against time steps">
        <figcaption>Accuracy against time steps T (mean ± std over seeds)</figcaption>
        <AccuracyChart runs={labelled} />
      </figure>
      <figure className="card" aria-label="accuracy against latency">
        <figcaption>Accuracy against end-to-end latency (steps until the readout: T for IF, T per spiking layer on the critical path for TPP)</figcaption>
        <AccuracyChart runs={labelled} against="latency" />
      </figure>
      <figure className="card" aria-label="accuracy against energy">
        <figcaption>
          Accuracy against estimated energy per sample ({[...new Set(labelled.map(({ result }) => energyModelText(result)))].join('; ')})
        </figcaption>
        <EnergyChart runs={labelled} />
      </figure>
      <RunNumbers runs={labelled} />
      <div className="card">
        <div className="controls">
          {labelled.length > 1 && (
            <label>
              Run
              <select value={chosen.run} onChange={(e) => setFocus({ ...chosen, run: Number(e.target.value) })}>
                {labelled.map((r) => (
                  <option key={r.id} value={r.id}>
                    #{r.id}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            Method
            <select value={chosen.method} onChange={(e) => setFocus({ ...chosen, method: e.target.value as Method })}>
              {[...new Set(focused.results.map((r) => r.method))].map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <label>
            T
            <select value={chosen.T} onChange={(e) => setFocus({ ...chosen, T: Number(e.target.value) })}>
              {focused.config.timesteps.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
        </div>
        <LayerCharts result={focused} method={chosen.method} T={chosen.T} />
        {focusedLayers !== undefined && <LayerNumbers rows={focusedLayers} />}
        <figure aria-label="spike-time heat map">
          <figcaption>Spikes per neuron at each step (layer × step, each row against its own peak)</figcaption>
          <SpikeHeatMap result={focused} method={chosen.method} T={chosen.T} />
        </figure>
        <figure aria-label="accuracy at each step">
          <figcaption>Accuracy at each step of the window (the output summed so far), {chosen.method} at T = {chosen.T}</figcaption>
          <StepAccuracy result={focused} method={chosen.method} T={chosen.T} />
        </figure>
        <ClassAccuracy result={focused} method={chosen.method} T={chosen.T} />
      </div>
      <figure className="card" aria-label="temporal misalignment side by side">
        <figcaption>
          Spike timing side by side at T = {chosen.T}: a raster of up to 32 neurons per spiking layer, evenly spaced over the layer, in the first evaluated sample (a tick per spike), for each method; under it each layer's onset (mean first-spike step) and late mass (share of spikes in the last quarter of the window)
        </figcaption>
        <MisalignmentSideBySide result={focused} T={chosen.T} />
      </figure>
      {focused.attribution !== undefined && (
        <figure className="card" aria-label="where accuracy goes">
          <figcaption>
            Where accuracy goes at T = {focused.attribution.T}{labelled.length > 1 ? ` (run #${chosen.run})` : ''}: the accuracy when only the first l spiking layers spike and the rest run as the ANN on the rates they pass on; each drop is what that layer costs (first seed)
          </figcaption>
          <AttributionView attribution={focused.attribution} />
        </figure>
      )}
    </section>
  );
}
