import type { EventMessage, HandlerInput, HandlerName, HandlerOutput } from './contract';

/**
 * What a client of the workbench service holds: the contract's handlers by name and its events.
 * The renderer speaks it over HTTP in a browser and through the preload in the desktop app; both
 * implement this one interface. A failed call rejects with the service's error as data
 * (`{ kind, message }`) or an error carrying it; the renderer rebuilds one error type from both.
 */
export interface Transport {
  call<K extends HandlerName>(name: K, args: HandlerInput<K>): Promise<HandlerOutput<K>>;
  subscribe(listener: (message: EventMessage) => void): () => void;
  /** A native file or folder picker, where the transport has one (the desktop app). */
  readonly pickPath?: (kind: 'file' | 'folder') => Promise<string | undefined>;
  /** A native save dialog offering `suggestedName` (a file name), where the transport has one. */
  readonly pickSavePath?: (suggestedName: string) => Promise<string | undefined>;
  /** Downloads an exported file (an artifact's id) as `fileName`, where the transport serves files (HTTP). */
  readonly download?: (id: number, fileName: string) => Promise<void>;
}
