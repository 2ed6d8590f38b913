/** @jsxRuntime automatic */
/** @jsxImportSource react */
import { METHOD_LABELS } from '../../src-main/common/methods';
import { modelName, runLabel, type ReportModel, type ReportRun } from '../../src-main/common/report/model';
import { FIGURE_TITLES } from '../../src-main/common/report/kinds';
import { energyModelText } from '../../src-main/common/results';
import { AccuracyChart } from '../results/AccuracyChart';
import { EnergyChart } from '../results/EnergyChart';
import { ErrorResidualChart, FiringRateChart } from '../results/LayerCharts';
import { layerRows, type LabelledRun } from '../results/series';
import { SpikeHeatMap } from '../results/SpikeHeatMap';
import { AttributionView } from '../results/WhereAccuracyGoes';
import { bytes, energy, int, meanStd, num, pct } from './format';

/**
 * The report of one or more finished runs, as one static document: the same chart components as
 * the Results screen at fixed sizes, and every number behind them as selectable text. Drawn to
 * HTML by src-main/report (Node) and printed to PDF by Chromium.
 */
export const REPORT_WIDTH = 760;

export function ReportDocument({ model }: { model: ReportModel }) {
  const labelled: LabelledRun[] = model.runs.map((r) => ({ id: r.id, result: r.result }));
  return (
    <article className="report">
      <header>
        <h1>{model.title}</h1>
        <p className="meta">
          TPP Workbench report · generated {model.generatedAt.replace('T', ' ').slice(0, 19)} UTC by TPP Workbench {model.generatedBy.workbench} (Node {model.generatedBy.node})
        </p>
      </header>
      {model.runs.length > 1 && (
        <section>
          <h2>Comparison of {model.runs.length} runs</h2>
          <AccuracyFigures runs={labelled} />
        </section>
      )}
      {model.runs.map((run) => (
        <RunSection key={run.id} run={run} alone={model.runs.length === 1} />
      ))}
      <footer>Energy figures are the METHODS.md estimate, not a measurement of any chip. Accuracy is top-1 on the evaluated samples; ± is the sample standard deviation over seeds.</footer>
    </article>
  );
}

function AccuracyFigures({ runs }: { runs: readonly LabelledRun[] }) {
  const size = { width: REPORT_WIDTH, height: 320 };
  return (
    <>
      <figure aria-label="accuracy against time steps">
        <figcaption>{FIGURE_TITLES.accuracy} (mean ± std over seeds)</figcaption>
        <AccuracyChart runs={runs} size={size} />
      </figure>
      <figure aria-label="accuracy against latency">
        <figcaption>{FIGURE_TITLES.latency} (steps; TPP fires one window per spiking layer)</figcaption>
        <AccuracyChart runs={runs} against="latency" size={size} />
      </figure>
      <figure aria-label="accuracy against energy">
        <figcaption>
          {FIGURE_TITLES.energy} ({[...new Set(runs.map(({ result }) => energyModelText(result)))].join('; ')})
        </figcaption>
        <EnergyChart runs={runs} size={{ width: REPORT_WIDTH, height: 300 }} />
      </figure>
    </>
  );
}

function RunSection({ run, alone }: { run: ReportRun; alone: boolean }) {
  const r = run.result;
  const methods = [...new Set(r.results.map((x) => x.method))];
  const ts = r.config.timesteps;
  const otherWarnings = r.warnings.filter((w) => w !== r.ann.sanityWarning);
  return (
    <section aria-label={`run ${run.id}`}>
      <h2>
        {runLabel(run)}: {modelName(run)} on {run.dataset.name}
      </h2>
      <p className="meta">
        {int(r.samples)} samples evaluated · started {run.createdAt.replace('T', ' ').slice(0, 19)}
        {run.finishedAt ? ` · finished ${run.finishedAt.replace('T', ' ').slice(0, 19)}` : ''} · ANN accuracy {pct(r.ann.accuracy)}
      </p>
      {r.ann.sanityWarning !== undefined && <p className="alert">{r.ann.sanityWarning}</p>}

      <h3>Accuracy (%) per method and T</h3>
      <table aria-label="accuracy">
        <thead>
          <tr>
            <th>method</th>
            {ts.map((t) => (
              <th key={t} className="num">
                T={t}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {methods.map((m) => (
            <tr key={m}>
              <td>{METHOD_LABELS[m]}</td>
              {ts.map((t) => {
                const x = r.results.find((y) => y.method === m && y.T === t);
                return (
                  <td key={t} className="num">
                    {x ? meanStd(x.accuracy, x.seeds) : '—'}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {alone && <AccuracyFigures runs={[{ id: run.id, result: r }]} />}

      <h3>Firing, operations, energy and latency</h3>
      <table aria-label="costs">
        <thead>
          <tr>
            <th>method</th>
            <th className="num">T</th>
            <th className="num">firing rate</th>
            <th className="num">SOPs / sample</th>
            <th className="num">energy / sample</th>
            <th className="num">latency (steps)</th>
          </tr>
        </thead>
        <tbody>
          {r.results.map((x) => (
            <tr key={`${x.method}${x.T}`}>
              <td>{METHOD_LABELS[x.method]}</td>
              <td className="num">{x.T}</td>
              <td className="num">{num(x.firingRate)}</td>
              <td className="num">{int(x.sops)}</td>
              <td className="num">{energy(x.energyPj)}</td>
              <td className="num">{x.latencySteps}</td>
            </tr>
          ))}
          <tr>
            <td>ANN</td>
            <td className="num">—</td>
            <td className="num">—</td>
            <td className="num">{int(r.ann.macs)} MACs</td>
            <td className="num">{energy(r.ann.energyPj)}</td>
            <td className="num">—</td>
          </tr>
        </tbody>
      </table>

      {run.focus.map((f) => {
        const rows = layerRows(r, f.method, f.T) ?? [];
        const result = r.results.find((x) => x.method === f.method && x.T === f.T)!;
        return (
          <div key={`${f.method}${f.T}`} aria-label={`layers of ${f.method} at T = ${f.T}`}>
            <h3>
              Layers: {METHOD_LABELS[f.method]} at T = {f.T}
            </h3>
            <figure aria-label={`per-layer metrics, ${f.method}, T = ${f.T}`}>
              <figcaption>{FIGURE_TITLES.layers}</figcaption>
              <div className="pair">
                <FiringRateChart rows={rows} size={{ width: REPORT_WIDTH / 2 - 4, height: 220 }} />
                <ErrorResidualChart rows={rows} size={{ width: REPORT_WIDTH / 2 - 4, height: 220 }} />
              </div>
            </figure>
            <table aria-label={`layer table, ${f.method}, T = ${f.T}`}>
              <thead>
                <tr>
                  <th>layer</th>
                  <th className="num">neurons</th>
                  <th className="num">θ mean [min, max]</th>
                  <th className="num">rate</th>
                  <th className="num">conv. error</th>
                  <th className="num">residual (θ)</th>
                  <th className="num">onset (step)</th>
                  <th className="num">late mass</th>
                </tr>
              </thead>
              <tbody>
                {result.perLayer.map((l) => (
                  <tr key={l.node}>
                    <td>{l.node}</td>
                    <td className="num">{int(r.layers.find((x) => x.node === l.node)?.neurons ?? 0)}</td>
                    <td className="num">
                      {num(l.threshold.mean, 3)} [{num(l.threshold.min, 3)}, {num(l.threshold.max, 3)}]
                    </td>
                    <td className="num">{num(l.firingRate)}</td>
                    <td className="num">{num(l.convError)}</td>
                    <td className="num">{num(l.residual, 3)}</td>
                    <td className="num">{num(l.onset, 2)}</td>
                    <td className="num">{num(l.lateMass, 3)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <figure aria-label={`spike-time heat map, ${f.method}, T = ${f.T}`}>
              <figcaption>{FIGURE_TITLES.heatmap}, each row against its own peak</figcaption>
              <SpikeHeatMap result={r} method={f.method} T={f.T} width={REPORT_WIDTH} />
            </figure>
          </div>
        );
      })}

      {r.attribution !== undefined && (
        <div aria-label="where accuracy goes">
          <h3>Where accuracy goes at T = {r.attribution.T}</h3>
          <p>The accuracy when only the first l spiking layers spike and the rest run as the ANN on the rates they pass on (first seed); each drop is what that layer costs.</p>
          <AttributionView attribution={r.attribution} size={{ width: REPORT_WIDTH, height: 260 }} />
        </div>
      )}

      {otherWarnings.length > 0 && (
        <>
          <h3>Warnings</h3>
          <ul className="warnings">
            {otherWarnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      )}
      {r.notes.length > 0 && (
        <>
          <h3>What preparing the model changed</h3>
          <ul>
            {r.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}

      <h3>Model</h3>
      {run.model === null ? (
        <p>The model is no longer registered: {r.model}.</p>
      ) : (
        <table className="card" aria-label="model card">
          <tbody>
            <Row label="name" value={run.model.name} />
            <Row label="file" value={run.model.file} />
            <Row label="format" value={run.model.format} />
            <tr>
              <th>SHA-256 (of the stored IR)</th>
              <td className="hash">
                <code>{run.model.sha256}</code>
              </td>
            </tr>
            <Row label="input shape" value={`[${run.model.inputShape.join(', ')}]`} />
            <Row label="nodes" value={int(run.model.nodes)} />
            <Row label="parameters" value={int(run.model.params)} />
            <Row label="MACs" value={int(run.model.macs)} />
            <Row label="spiking layers" value={String(run.model.spikingLayers)} />
            <Row label="model warnings" value={run.model.warnings.length === 0 ? 'none' : run.model.warnings.join('; ')} />
          </tbody>
        </table>
      )}

      <h3>Dataset</h3>
      <table className="card" aria-label="dataset">
        <tbody>
          <Row label="name" value={run.dataset.name} />
          <Row label="path" value={run.dataset.path} />
          <Row label="kind, layout" value={`${run.dataset.kind}, ${run.dataset.layout}`} />
          <Row label="classes" value={String(run.dataset.classes)} />
          <Row label="split evaluated" value={`${run.dataset.split}${run.dataset.splitSamples !== null ? ` (${int(run.dataset.splitSamples)} samples)` : ''}`} />
          <Row label="samples evaluated" value={`${int(run.dataset.evaluated)}${run.dataset.sampleSeed !== null ? `, a random subset with sample seed ${run.dataset.sampleSeed}` : ', the first ones'}`} />
          <Row label="calibration" value={`${int(run.dataset.calibration.samples)} samples from ${run.dataset.calibration.source}`} />
          <Row label="preprocessing" value={run.dataset.preprocessing.join('; ')} />
        </tbody>
      </table>

      <h3>Conversion settings</h3>
      <table className="card" aria-label="conversion settings">
        <tbody>
          {run.settings.map((s) => (
            <Row key={s.label} label={s.label} value={s.value} />
          ))}
        </tbody>
      </table>

      <h3>Backend, versions and machine</h3>
      <table className="card" aria-label="machine">
        <tbody>
          <Row label="compute backend" value={r.backendDetail ?? r.backend} />
          {run.environment === null ? (
            <Row label="machine" value="not recorded (the run predates environment records)" />
          ) : (
            <>
              <Row label="TPP Workbench" value={run.environment.workbench} />
              <Row label="Node.js" value={run.environment.node} />
              <Row label="TensorFlow.js" value={run.environment.tfjs} />
              <Row label="operating system" value={run.environment.os} />
              <Row label="CPU" value={`${run.environment.cpu}, ${run.environment.cores} cores`} />
              <Row label="memory" value={bytes(run.environment.memoryBytes)} />
            </>
          )}
        </tbody>
      </table>

      <h3>Run it again</h3>
      {run.commands.map((c) => (
        <div key={c.label}>
          <p>{c.label}:</p>
          <pre>{c.command}</pre>
        </div>
      ))}
    </section>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <tr>
      <th>{label}</th>
      <td>{value}</td>
    </tr>
  );
}
