import { useCall } from '../api/hooks';
import { ErrorBox, Loading } from '../ui/states';
import type { Theme } from '../app/theme';

/** Settings and About: data directory, compute backend, versions, theme. */
export function SettingsScreen({ theme, onTheme }: { theme: Theme; onTheme: (t: Theme) => void }) {
  const info = useCall('system.info', {});
  const runs = useCall('runs.list', { limit: 20 });
  const lastBackend = runs.data?.find((r) => r.job.status === 'succeeded');
  const backend = useCall('runs.show', lastBackend ? { id: lastBackend.id } : null);
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings and About</h1>
      <ErrorBox error={info.error} onRetry={info.reload} />
      {info.data === undefined ? (
        <Loading what="system information" />
      ) : (
        <dl className="card facts">
          <dt>Data directory</dt>
          <dd className="path">{info.data.dataDir}</dd>
          <dt>Database schema</dt>
          <dd>version {info.data.schemaVersion}</dd>
          <dt>Compute backend</dt>
          <dd>{backend.data?.result ? `${backend.data.result.backend} (used by run #${backend.data.id})` : 'chosen when a run starts: tfjs-node-gpu (CUDA) when it loads, else tfjs-node, else WebAssembly SIMD'}</dd>
          <dt>TPP Workbench</dt>
          <dd>{info.data.version}</dd>
          <dt>Node.js</dt>
          <dd>{info.data.node}</dd>
          <dt>CPU cores</dt>
          <dd>{info.data.cores}</dd>
        </dl>
      )}
      <fieldset className="card">
        <legend>Theme</legend>
        {(['system', 'light', 'dark'] as const).map((t) => (
          <label key={t} className="inline">
            <input type="radio" name="theme" checked={theme === t} onChange={() => onTheme(t)} /> {t}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
