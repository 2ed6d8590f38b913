import type { EventDatasetIndex, EventSample } from './event-layouts';
import { openEventSampleSet, type EventInputOptions } from './event-source';
import type { ImageSet } from './image-set';

/**
 * A plain-data description from which a sample set can be opened again, in another thread or
 * process (simulation workers decode event samples themselves rather than receive them).
 */
export type SampleSetDescriptor = {
  readonly kind: 'events';
  readonly index: EventDatasetIndex;
  readonly split: EventSample['split'] | 'any';
  readonly options: EventInputOptions;
};

export function openSampleSet(descriptor: SampleSetDescriptor): ImageSet {
  switch (descriptor.kind) {
    case 'events':
      return openEventSampleSet(descriptor.index, descriptor.split, descriptor.options);
  }
}
