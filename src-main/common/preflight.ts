import type { DatasetRow, HandlerInput } from './contract';
import type { ModelSummary } from './ir/summary';

/**
 * What to fix before a run is queued, found from the model's summary and the registered dataset
 * alone (no computation): max pooling the chosen policy refuses, an input shape or channel count
 * the data will not have, no input scaling on 8-bit images. Each issue names the Convert form's
 * field and says what to choose there, in the form's words. Errors would fail the run; warnings
 * are likely mistakes the user may confirm.
 */
export interface PreflightIssue {
  readonly level: 'error' | 'warning';
  /** The form field the issue is about (ConvertForm's key). */
  readonly field: 'maxPool' | 'frameSize' | 'polarity' | 'resize' | 'channels' | 'scale';
  readonly message: string;
}

/** What runs.start takes (its defaults not yet applied), as much of it as the check reads. */
type Start = Pick<HandlerInput<'runs.start'>, 'study' | 'frames' | 'images' | 'transform'>;

export function preflight(start: Start, model: ModelSummary, dataset: DatasetRow): PreflightIssue[] {
  const issues: PreflightIssue[] = [];
  const pools = model.nodes.filter((n) => n.op === 'maxPool').map((n) => n.name);
  if (pools.length > 0 && start.study.maxPool === 'refuse') {
    issues.push({
      level: 'error',
      field: 'maxPool',
      message: `The model has max pooling (${list(pools)}), which "refuse" stops at. Spike trains cannot be max-pooled step by step: choose "replace by average pooling" (the ANN changes; the run reports its accuracy before and after the swap), "exact where the pool sees a constant current" or "spiking".`,
    });
  }
  const want = model.input.shape;
  if (want.length === 3) {
    const [h, w, c] = want as [number, number, number];
    const have = dataShape(start, dataset);
    if (have !== undefined) {
      const [dh, dw, dc] = have.shape;
      if (dh !== h || dw !== w) {
        issues.push(
          dataset.kind === 'events'
            ? { level: 'error', field: 'frameSize', message: `The model takes ${w}×${h} inputs; this dataset's frames are ${dw}×${dh}. Set the frame size to ${w}x${h}.` }
            : { level: 'error', field: 'resize', message: `The model takes ${w}×${h} images; this dataset's are ${dw}×${dh}${dataset.layout === 'image-folders' ? `. Set "resize" and "crop" to ${Math.min(w, h)}` : ', and arrays are not resized: choose a dataset or model that match'}.` },
        );
      }
      if (dc !== c) {
        issues.push(
          dataset.kind === 'events'
            ? { level: 'error', field: 'polarity', message: `The model takes ${channels(c)}; "${have.how}" gives ${channels(dc)}. Choose ${c === 2 ? '"two channels (OFF, ON)"' : c === 1 ? '"signed" or "merged"' : `a model with 1 or 2 input channels`} under polarity.` }
            : { level: 'error', field: 'channels', message: `The model takes ${channels(c)}; the images have ${channels(dc)}. ${c === 1 || c === 3 ? `Set channels to ${c === 1 ? 'greyscale' : 'RGB'}.` : 'Choose a model with 1 or 3 input channels.'}` },
        );
      }
    }
  }
  if (dataset.kind === 'images' && model.preprocessing === null && start.transform === undefined) {
    issues.push({
      level: 'warning',
      field: 'scale',
      message: 'The model records no input scaling and none is set, so pixels reach it as stored (0…255 for 8-bit images). If it was trained on inputs in 0…1, set the input scale to 0.00392157 (x/255) and the offset to 0.',
    });
  }
  return issues;
}

/** The per-sample shape [H, W, C] the run will feed, when the registration tells it. */
function dataShape(start: Start, dataset: DatasetRow): { shape: [number, number, number]; how: string } | undefined {
  if (dataset.kind === 'events') {
    const size = start.frames?.size ?? dataset.sensor;
    if (size === null || size === undefined) return undefined;
    const polarity = start.frames?.polarity ?? 'two-channels';
    return { shape: [size.height, size.width, polarity === 'two-channels' ? 2 : 1], how: polarity === 'two-channels' ? 'two channels (OFF, ON)' : polarity };
  }
  const s = dataset.shape;
  if (s === null || s.length !== 3) return undefined;
  const side = start.images?.crop ?? start.images?.resize;
  const [h, w] = side !== undefined ? [side, side] : [s[0]!, s[1]!];
  return { shape: [h, w, start.images?.channels ?? s[2]!], how: 'as stored' };
}

function channels(n: number): string {
  return n === 1 ? '1 channel' : `${n} channels`;
}

function list(names: readonly string[]): string {
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}
