import type { EventDatasetIndex, EventInputOptions, EventSample, ImageFolderOptions, ImageLayout, SampleSetDescriptor } from '../common/datasets';
import { openEventSampleSet } from './event-source';
import type { SampleSet } from './sample-set';
import { openImageDataset } from './image-layouts';

export function openSampleSet(descriptor: SampleSetDescriptor): SampleSet {
  switch (descriptor.kind) {
    case 'events':
      return openEventSampleSet(descriptor.index, descriptor.split, descriptor.options);
    case 'images':
      return openImageDataset(descriptor.root, descriptor.layout, descriptor.split, descriptor.options);
  }
}
