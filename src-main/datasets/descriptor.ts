import type { EventDatasetIndex, EventSample } from './event-layouts';
import { openEventSampleSet, type EventInputOptions } from './event-source';
import type { ImageSet } from './image-set';
import { openImageDataset, type ImageFolderOptions, type ImageLayout } from './image-layouts';

/**
 * A plain-data description from which a sample set can be opened again, in another thread or
 * process (simulation workers decode event samples themselves rather than receive them).
 */
export type SampleSetDescriptor =
  | { readonly kind: 'events'; readonly index: EventDatasetIndex; readonly split: EventSample['split'] | 'any'; readonly options: EventInputOptions }
  | { readonly kind: 'images'; readonly root: string; readonly layout: ImageLayout; readonly split: 'train' | 'test' | 'all'; readonly options: ImageFolderOptions };

export function openSampleSet(descriptor: SampleSetDescriptor): ImageSet {
  switch (descriptor.kind) {
    case 'events':
      return openEventSampleSet(descriptor.index, descriptor.split, descriptor.options);
    case 'images':
      return openImageDataset(descriptor.root, descriptor.layout, descriptor.split, descriptor.options);
  }
}
