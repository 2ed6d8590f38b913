import { useState } from 'react';
import type { HandlerName } from '../../src-main/common/contract';
import { useAction, useTransport } from '../api/hooks';
import { ErrorBox } from './states';

/**
 * Remove a registered dataset or model, in two steps (Remove, then Confirm): the service refuses
 * while a run uses it and says which; the files on disk are never touched. `onRemoved` runs after.
 */
export function RemoveButton({ what, id, handler, onRemoved }: { what: string; id: number; handler: Extract<HandlerName, 'datasets.remove' | 'models.remove'>; onRemoved: () => void }) {
  const transport = useTransport();
  const action = useAction();
  const [asking, setAsking] = useState(false);
  const remove = async (): Promise<void> => {
    const done = await action.run(() => transport.call(handler, { id }));
    setAsking(false);
    if (done !== undefined) onRemoved();
  };
  return (
    <span className="remove">
      {asking ? (
        <>
          <button type="button" className="danger" disabled={action.busy} onClick={() => void remove()}>
            Confirm: remove {what}
          </button>{' '}
          <button type="button" onClick={() => setAsking(false)}>
            Keep it
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setAsking(true)}>
          Remove {what}…
        </button>
      )}
      <ErrorBox error={action.error} />
    </span>
  );
}
