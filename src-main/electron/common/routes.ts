import type { HandlerInput, HandlerName } from '../../common/contract';
import type { ErrorData } from '../../common/errors';

/**
 * The desktop app's IPC routes: one channel per handler of the contract, each naming which of its
 * arguments are file paths, read or written. The main process lets such a path through only when
 * the user chose it (an open or save dialog, a drop, "open with") or it lies in a registered
 * dataset's folder. The type makes a
 * handler without a route a compile error; a test checks the table against the contract at run
 * time, so a new handler must say whether it carries paths before the app can call it.
 */
type StringArgument<K extends HandlerName> = {
  [A in keyof HandlerInput<K>]-?: NonNullable<HandlerInput<K>[A]> extends string ? A : never;
}[keyof HandlerInput<K>] &
  string;

export interface Route<K extends HandlerName> {
  readonly paths: readonly StringArgument<K>[];
}

export const ROUTES = {
  'datasets.import': { paths: ['path'] },
  'datasets.list': { paths: [] },
  'datasets.show': { paths: [] },
  'datasets.remove': { paths: [] },
  'datasets.samples': { paths: [] },
  'datasets.events': { paths: [] },
  'datasets.frames': { paths: [] },
  'datasets.images': { paths: [] },
  'models.import': { paths: ['path', 'weights'] },
  'models.list': { paths: [] },
  'models.show': { paths: [] },
  'models.remove': { paths: [] },
  'runs.start': { paths: [] },
  'runs.poolingCost': { paths: [] },
  'runs.list': { paths: [] },
  'runs.show': { paths: [] },
  'runs.cancel': { paths: [] },
  'runs.resume': { paths: [] },
  // `out`: where the service also writes the file; the user chooses it in a save dialog.
  'runs.report': { paths: ['out'] },
  'runs.export': { paths: ['out'] },
  'artifacts.show': { paths: [] },
  'jobs.list': { paths: [] },
  'jobs.show': { paths: [] },
  'jobs.logs': { paths: [] },
  'system.info': { paths: [] },
} as const satisfies { readonly [K in HandlerName]: Route<K> };

export const ROUTED_HANDLERS = Object.keys(ROUTES) as HandlerName[];

export function isRoutedHandler(name: string): name is HandlerName {
  return Object.hasOwn(ROUTES, name);
}

/** The path arguments of a call, as the route declares them. */
export function pathArguments(name: HandlerName): readonly string[] {
  return ROUTES[name].paths;
}

export function callChannel(name: HandlerName): string {
  return `tppw:call:${name}`;
}

/** The other channels between preload and main; each carries one kind of message, none is generic. */
export const CHANNELS = {
  /** main → renderer: one EventMessage. */
  event: 'tppw:event',
  /** renderer → main: start or stop sending events to this window. */
  subscribe: 'tppw:events:subscribe',
  unsubscribe: 'tppw:events:unsubscribe',
  /** renderer → main (invoke): a native picker; answers the chosen path or undefined. */
  pickPath: 'tppw:pick-path',
  /** renderer → main (invoke): a native save dialog for a suggested file name; answers the path or undefined. */
  pickSavePath: 'tppw:pick-save-path',
  /** renderer → main: the paths of files and folders dropped on the window. */
  dropped: 'tppw:dropped',
  /** main → renderer: show a screen (a hash route such as #/datasets). */
  navigate: 'tppw:navigate',
} as const;

/** How a call's answer crosses IPC: errors as data, rebuilt on arrival. */
export type CallResult<T = unknown> = { readonly data: T } | { readonly error: ErrorData };
