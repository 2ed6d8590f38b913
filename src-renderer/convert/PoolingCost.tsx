import { useEffect, useState } from 'react';
import type { HandlerInput, PoolingCost } from '../../src-main/common/contract';
import { asServiceError, useTransport } from '../api/hooks';
import type { ServiceError } from '../api/transport';

type Measured = { readonly key: string } & ({ readonly cost: PoolingCost } | { readonly error: ServiceError } | { readonly pending: true });

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/**
 * What replacing max pooling by average pooling costs the ANN, for the form's settings as they
 * are (runs.poolingCost: the ANN both ways on the first samples the run would evaluate):
 * measured when asked, or at once with `auto` (the pre-flight check shows it beside its finding).
 */
export function PoolingCostLine({ args, auto }: { args: HandlerInput<'runs.start'>; auto: boolean }) {
  const transport = useTransport();
  const key = JSON.stringify(args);
  const [measured, setMeasured] = useState<Measured>();
  const [asked, setAsked] = useState<string>();
  const wanted = auto || asked === key;
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    setMeasured({ key, pending: true });
    transport.call('runs.poolingCost', JSON.parse(key) as HandlerInput<'runs.poolingCost'>).then(
      (cost) => live && setMeasured({ key, cost }),
      (error: unknown) => live && setMeasured({ key, error: asServiceError(error) }),
    );
    return () => {
      live = false;
    };
  }, [transport, key, wanted]);
  const current = measured?.key === key ? measured : undefined;
  if (current === undefined || !wanted) {
    return (
      <p className="pooling-cost">
        <button type="button" onClick={() => setAsked(key)}>
          Measure what average pooling costs the ANN
        </button>
      </p>
    );
  }
  return (
    <p className="pooling-cost" role="status" aria-label="cost of average pooling">
      {'pending' in current
        ? 'Measuring the ANN with max and with average pooling…'
        : 'error' in current
          ? `The ANN could not be measured: ${current.error.message}`
          : `On the first ${current.cost.samples} samples the ANN gives ${pct(current.cost.maxPool)} with max pooling and ${pct(current.cost.avgPool)} with average pooling instead (${signedPoints(current.cost.avgPool - current.cost.maxPool)}).`}
    </p>
  );
}

function signedPoints(d: number): string {
  const points = 100 * d;
  return `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)} points`;
}
