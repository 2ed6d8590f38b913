import { useState } from 'react';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { DatasetDetail as Detail, Histogram } from '../../src-main/common/contract';
import { formatSpanUs } from '../viewer/timing';
import { useCall } from '../api/hooks';
import { formatRoute } from '../app/routes';
import { ErrorBox, Loading, formatCount } from '../ui/states';
import { EventViewer } from '../viewer/EventViewer';
import { ImageGrid } from './ImageGrid';
import { RemoveButton } from '../ui/RemoveButton';

/** One dataset: splits and classes, its samples, and the event viewer or the image grid. */
export function DatasetDetail({ id, onRemoved }: { id: number; onRemoved: () => void }) {
  const detail = useCall('datasets.show', { id });
  if (detail.error) return <ErrorBox error={detail.error} onRetry={detail.reload} />;
  if (detail.data === undefined) return <Loading what="the dataset" />;
  const d = detail.data;
  return (
    <article className="card" aria-label={`dataset ${d.name}`}>
      <h3>
        {d.name} <span className="muted">({d.kind}, {d.layout})</span>
      </h3>
      <p className="muted path">{d.path}</p>
      <p>
        <a className="button" href={formatRoute({ screen: 'convert', datasetId: d.id })}>
          Convert a model on this dataset
        </a>{' '}
        <RemoveButton what="this dataset" id={d.id} handler="datasets.remove" onRemoved={() => (onRemoved(), (window.location.hash = formatRoute({ screen: 'datasets' })))} />
      </p>
      <SplitTable detail={d} />
      {d.histograms && d.samples > 1 && (
        <div className="chart-pair">
          <HistogramChart title="Events per sample" histogram={d.histograms.events} format={(v) => formatCount(Math.round(v))} />
          <HistogramChart title="Sample duration" histogram={d.histograms.durationUs} format={(v) => formatSpanUs(v)} />
        </div>
      )}
      {d.kind === 'events' ? <EventSamples detail={d} /> : <ImageGrid id={d.id} classes={d.classes} />}
    </article>
  );
}

function HistogramChart({ title, histogram, format }: { title: string; histogram: Histogram; format: (v: number) => string }) {
  const data = histogram.counts.map((n, k) => ({ from: histogram.edges[k]!, n }));
  return (
    <figure aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={150}>
        <BarChart data={data} margin={{ top: 5, right: 10, bottom: 5, left: 0 }}>
          <XAxis dataKey="from" tickFormatter={format} />
          <YAxis allowDecimals={false} width={40} />
          <Tooltip labelFormatter={(v) => `from ${format(Number(v))}`} formatter={(v) => [`${v} samples`, '']} />
          <Bar dataKey="n" fill="var(--accent)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}

function SplitTable({ detail }: { detail: Detail }) {
  const splits = Object.entries(detail.splits);
  return (
    <table className="table compact" aria-label="samples per split">
      <thead>
        <tr>
          <th>Split</th>
          <th className="num">Samples</th>
          {detail.kind === 'events' && <th className="num">Mean events</th>}
          {detail.kind === 'events' && <th className="num">Mean duration</th>}
          <th>Per class</th>
        </tr>
      </thead>
      <tbody>
        {splits.map(([name, s]) => {
          const peak = Math.max(1, ...s.perClass);
          return (
            <tr key={name}>
              <td>{name}</td>
              <td className="num">{formatCount(s.samples)}</td>
              {detail.kind === 'events' && <td className="num">{s.meanEvents === null ? '—' : formatCount(s.meanEvents)}</td>}
              {detail.kind === 'events' && <td className="num">{s.meanDurationUs === null ? '—' : formatSpanUs(s.meanDurationUs)}</td>}
              <td>
                <span className="class-bars" aria-label={`per class: ${s.perClass.join(', ')}`}>
                  {s.perClass.map((n, k) => (
                    <span key={k} className="class-bar" title={`${detail.classes[k] ?? k}: ${n}`} style={{ height: `${(100 * n) / peak}%` }} />
                  ))}
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

const PAGE = 50;

function EventSamples({ detail }: { detail: Detail }) {
  const [offset, setOffset] = useState(0);
  const [index, setIndex] = useState(0);
  const page = useCall('datasets.samples', { id: detail.id, offset, limit: PAGE });
  return (
    <div className="split-view">
      <div className="sample-list">
        <h4>Samples</h4>
        <ErrorBox error={page.error} onRetry={page.reload} />
        {page.data && (
          <>
            <ul aria-label="samples">
              {page.data.samples.map((s) => (
                <li key={s.index}>
                  <button type="button" className={s.index === index ? 'link selected' : 'link'} onClick={() => setIndex(s.index)} aria-pressed={s.index === index}>
                    #{s.index} {detail.classes[s.label] ?? s.label} <span className="muted">{s.events === null ? '' : `${formatCount(s.events)} ev`}</span>
                  </button>
                </li>
              ))}
            </ul>
            <div className="pager">
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                Previous
              </button>
              <span className="muted">
                {offset + 1}–{Math.min(offset + PAGE, page.data.total)} of {page.data.total}
              </span>
              <button type="button" disabled={offset + PAGE >= page.data.total} onClick={() => setOffset(offset + PAGE)}>
                Next
              </button>
            </div>
          </>
        )}
      </div>
      <EventViewer datasetId={detail.id} index={index} classes={detail.classes} />
    </div>
  );
}
