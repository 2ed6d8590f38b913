import { useTransport } from '../api/hooks';

/** A path typed in, plus the native picker where the transport has one (the desktop app). */
export function PathField({ label, value, onChange, kind, optional = false }: { label: string; value: string; onChange: (path: string) => void; kind: 'file' | 'folder'; optional?: boolean }) {
  const { pickPath } = useTransport();
  return (
    <label className="grow">
      {label}
      <span className="path-field">
        <input value={value} onChange={(e) => onChange(e.target.value)} placeholder="/path/on/the/workbench/machine" spellCheck={false} required={!optional} />
        {pickPath && (
          <button type="button" onClick={() => void pickPath(kind).then((p) => p && onChange(p))}>
            Browse…
          </button>
        )}
      </span>
    </label>
  );
}
