import type { ReactNode } from 'react';
import type { ServiceError } from '../api/transport';

/** Loading, empty and error states, the same on every screen. */
export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorBox({ error, onRetry }: { error: ServiceError | undefined; onRetry?: () => void }) {
  if (error === undefined) return null;
  return (
    <div className="error" role="alert">
      <strong>{error.kind.replace('_', ' ')}</strong>: {error.message}
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${status}`}>{status}</span>;
}

export function ProgressBar({ current, total, label }: { current: number; total: number; label: string }) {
  const share = total > 0 ? Math.min(1, current / total) : 0;
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(100 * share)}>
      <div className="progress-fill" style={{ width: `${100 * share}%` }} />
    </div>
  );
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)} k`;
  return String(Math.round(n * 100) / 100);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
