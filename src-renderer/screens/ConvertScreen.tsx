import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { METHOD_LABELS, METHODS } from '../../src-main/common/methods';
import { preflight, type PreflightIssue } from '../../src-main/common/preflight';
import { asServiceError, useAction, useCall, useTransport } from '../api/hooks';
import type { ServiceError } from '../api/transport';
import { formatRoute } from '../app/routes';
import { defaultForm, formFromRun, paperComparison, studyWork, validateForm, type ConvertForm, type FormErrors } from '../convert/form';
import { PoolingCostLine } from '../convert/PoolingCost';
import { Empty, ErrorBox, Loading, formatCount } from '../ui/states';


/** Convert: choose a model and a dataset, the study, and queue it. */
export function ConvertScreen({ modelId, datasetId, from }: { modelId: number | undefined; datasetId: number | undefined; from?: number | undefined }) {
  const transport = useTransport();
  const [source, setSource] = useState<{ id: number; error?: ServiceError }>();
  // Edit and re-run: the form starts from that run's settings.
  useEffect(() => {
    if (from === undefined) return;
    let live = true;
    transport.call('runs.show', { id: from }).then(
      (run) => live && (setForm(formFromRun(run.config)), setSource({ id: from })),
      (error: unknown) => live && setSource({ id: from, error: asServiceError(error) }),
    );
    return () => {
      live = false;
    };
  }, [transport, from]);
  const models = useCall('models.list', {});
  const datasets = useCall('datasets.list', {});
  const [form, setForm] = useState<ConvertForm>(() => defaultForm(modelId, datasetId));
  const [errors, setErrors] = useState<FormErrors>({});
  // the model's spiking layers (the work of the attribution study's cut networks) and pools
  const detail = useCall('models.show', form.modelId !== '' ? { id: Number(form.modelId) } : null);
  const action = useAction();
  // The pre-flight check's findings for the settings they were found on (warnings are confirmed
  // by starting again with the same settings).
  const [issues, setIssues] = useState<{ key: string; list: readonly PreflightIssue[] }>();
  const set = <K extends keyof ConvertForm>(key: K, value: ConvertForm[K]): void => {
    setForm((f) => ({ ...f, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined }));
  };

  if (models.error || datasets.error) return <ErrorBox error={models.error ?? datasets.error} onRetry={() => (models.reload(), datasets.reload())} />;
  if (models.data === undefined || datasets.data === undefined) return <Loading what="models and datasets" />;
  if (models.data.length === 0 || datasets.data.length === 0) {
    return (
      <Empty>
        Register a <a href={formatRoute({ screen: 'datasets' })}>dataset</a> and import a <a href={formatRoute({ screen: 'models' })}>model</a> first.
      </Empty>
    );
  }
  const model = models.data.find((m) => String(m.id) === form.modelId);
  const dataset = datasets.data.find((d) => String(d.id) === form.datasetId);
  const checked = validateForm(form);
  const maxPools = detail.data !== undefined && String(detail.data.id) === form.modelId && detail.data.summary.nodes.some((n) => n.op === 'maxPool');
  const estimate = checked.args && model && dataset ? studyWork(checked.args, dataset.samples, { macs: model.macs, spikingLayers: detail.data?.id === model.id ? detail.data.summary.totals.spikingLayers : 0 }) : undefined;

  const key = checked.args ? JSON.stringify(checked.args) : '';
  const confirming = issues !== undefined && issues.key === key && issues.list.length > 0 && issues.list.every((i) => i.level === 'warning');
  /** The pre-flight check against the model and the dataset: true when the run may start. */
  const cleared = async (): Promise<boolean> => {
    const args = checked.args!;
    const found = await action.run(async () => {
      const [m, d] = await Promise.all([transport.call('models.show', { id: args.modelId }), transport.call('datasets.show', { id: args.datasetId })]);
      return preflight(args, m.summary, d);
    });
    if (found === undefined) return false;
    if (found.length === 0 || (confirming && found.every((i) => i.level === 'warning'))) {
      setIssues(undefined);
      return true;
    }
    setIssues({ key, list: found });
    return false;
  };
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setErrors(checked.errors);
    if (!checked.args || !(await cleared())) return;
    const job = await action.run(() => transport.call('runs.start', checked.args!));
    if (job) window.location.hash = formatRoute({ screen: 'runs' });
  };
  const queuePaper = async (): Promise<void> => {
    setErrors(checked.errors);
    if (!checked.args || !(await cleared())) return;
    const runs = paperComparison(checked.args);
    const ids = await action.run(async () => {
      const started: number[] = [];
      for (const run of runs) started.push((await transport.call('runs.start', run)).result!.conversionId!);
      return started;
    });
    if (ids) window.location.hash = formatRoute({ screen: 'results', runs: ids });
  };

  return (
    <section aria-labelledby="convert-title">
      <h1 id="convert-title">Convert</h1>
      {source?.error && <ErrorBox error={source.error} />}
      {source && !source.error && <p className="muted" role="status">Settings of run #{source.id}: edit them and start a new run.</p>}
      <form className="card convert-form" onSubmit={(e) => void submit(e)} noValidate>
        <Field label="Run name" error={errors.name}>
          <input value={form.name} onChange={(e) => set('name', e.target.value)} placeholder="optional" maxLength={200} />
        </Field>
        <Field label="Model" error={errors.modelId}>
          <select value={form.modelId} onChange={(e) => set('modelId', e.target.value)}>
            <option value="">choose…</option>
            {models.data.map((m) => (
              <option key={m.id} value={m.id}>
                {m.name} ({m.format})
              </option>
            ))}
          </select>
        </Field>
        <Field label="Dataset" error={errors.datasetId}>
          <select value={form.datasetId} onChange={(e) => set('datasetId', e.target.value)}>
            <option value="">choose…</option>
            {datasets.data.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} ({d.layout}, {formatCount(d.samples)} samples)
              </option>
            ))}
          </select>
        </Field>
        <fieldset>
          <legend>Methods</legend>
          {METHODS.map((m) => (
            <label key={m} className="inline">
              <input type="checkbox" checked={form.methods.includes(m)} onChange={(e) => set('methods', e.target.checked ? [...form.methods, m] : form.methods.filter((x) => x !== m))} />
              {METHOD_LABELS[m]}
            </label>
          ))}
          {errors.methods && <span className="field-error">{errors.methods}</span>}
        </fieldset>
        <Field label="Time steps T" error={errors.timesteps}>
          <input value={form.timesteps} onChange={(e) => set('timesteps', e.target.value)} />
        </Field>
        <Field label="Seeds (stochastic methods)" error={errors.seeds}>
          <input value={form.seeds} onChange={(e) => set('seeds', e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Thresholds" error={errors.threshold}>
          <input value={form.threshold} onChange={(e) => set('threshold', e.target.value)} list="threshold-modes" />
          <datalist id="threshold-modes">
            <option value="p99.9" />
            <option value="p99.99" />
            <option value="max" />
            <option value="qcfs" />
            <option value="snnc" />
          </datalist>
        </Field>
        <label className="inline">
          <input type="checkbox" checked={form.perChannel} onChange={(e) => set('perChannel', e.target.checked)} /> one threshold per channel
        </label>
        <Field label="Reset">
          <select value={form.reset} onChange={(e) => set('reset', e.target.value as ConvertForm['reset'])}>
            <option value="subtract">subtract θ</option>
            <option value="zero">to zero</option>
          </select>
        </Field>
        <Field label="Initial potential v0">
          <select value={form.v0} onChange={(e) => set('v0', e.target.value as ConvertForm['v0'])}>
            <option value="default">method default (θ/2 for QCFS, else 0)</option>
            <option value="zero">0</option>
            <option value="half">θ/2</option>
          </select>
        </Field>
        <Field label="Max pooling">
          <select value={form.maxPool} onChange={(e) => set('maxPool', e.target.value as ConvertForm['maxPool'])}>
            <option value="refuse">refuse (IF neurons cannot take a max)</option>
            <option value="avg">replace by average pooling (reports the ANN accuracy after)</option>
            <option value="exact">exact where the pool sees a constant current (after the first layer)</option>
            <option value="spiking">spiking: exact there, max over accumulated spikes elsewhere</option>
          </select>
        </Field>
        {maxPools && checked.args && !(issues?.key === key && issues.list.some((i) => i.field === 'maxPool')) && <PoolingCostLine args={checked.args} auto={false} />}
        <Field label="Percentile over">
          <select value={form.percentileOf} onChange={(e) => set('percentileOf', e.target.value as ConvertForm['percentileOf'])}>
            <option value="positive">the positive activations (SNN Toolbox)</option>
            <option value="all">all activations, zeros included (SpikingJelly)</option>
          </select>
        </Field>
        <Field label="SNN calibration (SNNC)">
          <select value={form.snnc} onChange={(e) => set('snnc', e.target.value as ConvertForm['snnc'])}>
            <option value="none">none</option>
            <option value="light">light: correct each channel's bias</option>
            <option value="advanced">advanced: correct each neuron's initial potential</option>
          </select>
        </Field>
        <label className="inline">
          <input type="checkbox" checked={form.shift} onChange={(e) => set('shift', e.target.checked)} /> add θ/(2T) to the input current every step
        </label>
        <Field label="Input coding">
          <select value={form.encoding} onChange={(e) => set('encoding', e.target.value as ConvertForm['encoding'])}>
            <option value="direct">direct (the analog input every step)</option>
            <option value="rate">rate (Bernoulli spikes)</option>
          </select>
        </Field>
        <Field label="Permute probe">
          <select value={form.permute} onChange={(e) => set('permute', e.target.value as ConvertForm['permute'])}>
            <option value="neuron">one permutation per neuron</option>
            <option value="layer">one permutation per layer and sample</option>
          </select>
        </Field>
        <Field label="Where accuracy goes at T" error={errors.attribution}>
          <input value={form.attribution} onChange={(e) => set('attribution', e.target.value)} inputMode="numeric" placeholder="none" title="for every method, the accuracy when only the first l spiking layers spike and the rest run as the ANN, l = 0…L (one more pass per layer)" />
        </Field>
        <Field label="Samples evaluated" error={errors.limit}>
          <input value={form.limit} onChange={(e) => set('limit', e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Calibration samples" error={errors.calibration}>
          <input value={form.calibration} onChange={(e) => set('calibration', e.target.value)} inputMode="numeric" />
        </Field>
        <Field label="Sample seed" error={errors.sampleSeed}>
          <input value={form.sampleSeed} onChange={(e) => set('sampleSeed', e.target.value)} inputMode="numeric" placeholder="empty: the first samples" />
        </Field>
        <Field label="Split">
          <select value={form.split} onChange={(e) => set('split', e.target.value as ConvertForm['split'])}>
            <option value="">default (test when there is one)</option>
            <option value="test">test</option>
            <option value="train">train</option>
            <option value="all">all</option>
          </select>
        </Field>
        <Field label="Input scale" error={errors.scale}>
          <input value={form.scale} onChange={(e) => set('scale', e.target.value)} placeholder="as the model records, else 1" />
        </Field>
        <Field label="Input offset" error={errors.offset}>
          <input value={form.offset} onChange={(e) => set('offset', e.target.value)} placeholder="as the model records, else 0" />
        </Field>
        {dataset?.kind === 'events' && (
          <Field label="Event input">
            <select value={form.input} onChange={(e) => set('input', e.target.value as ConvertForm['input'])}>
              <option value="static">summed frame (direct coding)</option>
              <option value="steps">one frame per step</option>
            </select>
          </Field>
        )}
        {dataset?.kind === 'events' && (
          <>
            <Field label="Frame size" error={errors.frameSize}>
              <input value={form.frameSize} onChange={(e) => set('frameSize', e.target.value)} placeholder={dataset.sensor ? `the sensor's, ${dataset.sensor.width}x${dataset.sensor.height}` : "the sensor's"} />
            </Field>
            <Field label="Polarity">
              <select value={form.polarity} onChange={(e) => set('polarity', e.target.value as ConvertForm['polarity'])}>
                <option value="two-channels">two channels (ON, OFF)</option>
                <option value="signed">one signed channel (ON − OFF)</option>
                <option value="merged">one channel (all events)</option>
              </select>
            </Field>
            <Field label="Frames cut by">
              <select value={form.frameSplit} onChange={(e) => set('frameSplit', e.target.value as ConvertForm['frameSplit'])}>
                <option value="count">equal event counts</option>
                <option value="time">equal time spans</option>
              </select>
            </Field>
          </>
        )}
        {dataset?.kind === 'images' && (
          <>
            <Field label="Resize (shorter side)" error={errors.resize}>
              <input value={form.resize} onChange={(e) => set('resize', e.target.value)} inputMode="numeric" placeholder="as stored" />
            </Field>
            <Field label="Centred crop" error={errors.crop}>
              <input value={form.crop} onChange={(e) => set('crop', e.target.value)} inputMode="numeric" placeholder="none" />
            </Field>
            <Field label="Channels">
              <select value={form.channels} onChange={(e) => set('channels', e.target.value as ConvertForm['channels'])}>
                <option value="">as the dataset stores them</option>
                <option value="1">1 (greyscale)</option>
                <option value="3">3 (RGB)</option>
              </select>
            </Field>
          </>
        )}
        <p className="estimate" role="status">
          {estimate
            ? `About ${formatCount(estimate.passes)} simulation passes, ${formatCount(estimate.sampleSteps)} sample-steps, ${formatCount(estimate.macs)} MACs in the linear layers.`
            : 'Fill in the form to see the work it asks for.'}
        </p>
        {issues !== undefined && issues.key === key && issues.list.length > 0 && (
          <div className="preflight" role="alert" aria-label="pre-flight check">
            <p>{confirming ? 'Check these before the run starts; start again to go ahead as it is:' : 'The run would not work as set:'}</p>
            <ul>
              {issues.list.map((i) => (
                <li key={i.field + i.message} className={i.level === 'error' ? 'error' : 'warning'} data-field={i.field}>
                  {i.message}
                </li>
              ))}
            </ul>
            {issues.list.some((i) => i.field === 'maxPool') && checked.args && <PoolingCostLine args={checked.args} auto />}
          </div>
        )}
        <button type="submit" disabled={action.busy}>
          {confirming ? 'Start anyway' : 'Start the run'}
        </button>
        <button type="button" disabled={action.busy} onClick={() => void queuePaper()} title="IF and IF+Permute at v0 0 and θ/2, TPP and TPP-iid; thresholds p99.9 and snnc, each without and with SNNC calibration: 8 runs on this model, data and time steps, compared on Results">
          Queue the paper's comparison (8 runs)
        </button>
        <ErrorBox error={action.error} />
      </form>
    </section>
  );
}

function Field({ label, error, children }: { label: string; error?: string | undefined; children: ReactNode }) {
  return (
    <label className={error ? 'field invalid' : 'field'}>
      {label}
      {children}
      {error && <span className="field-error">{error}</span>}
    </label>
  );
}
