import { basename } from 'node:path';
import { dialog, type BrowserWindow, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { EVENT_FILE_NAMES } from '../../datasets/event-layouts';
import type { PathGrants } from './path-grants';

/**
 * Native open and save dialogs. What the user picks is granted (path-grants.ts): it is how a path
 * becomes one the renderer may name. Cancelling grants nothing.
 */
export type PickPurpose = 'dataset-folder' | 'event-file' | 'model-file' | 'file' | 'folder';

const EVENT_EXTENSIONS = EVENT_FILE_NAMES.split(', ').map((e) => e.replace(/^\./, ''));
const ALL_FILES = { name: 'All files', extensions: ['*'] };

export const PICK_OPTIONS: Record<PickPurpose, OpenDialogOptions> = {
  'dataset-folder': { title: 'Add a dataset folder', properties: ['openDirectory'] },
  'event-file': { title: 'Add an event file', properties: ['openFile'], filters: [{ name: 'Event recordings', extensions: EVENT_EXTENSIONS }, ALL_FILES] },
  'model-file': { title: 'Import a model', properties: ['openFile'], filters: [{ name: 'Models (ONNX, Keras, TensorFlow.js, .tppw)', extensions: ['onnx', 'h5', 'hdf5', 'keras', 'json', 'tppw'] }, ALL_FILES] },
  file: { properties: ['openFile'] },
  folder: { properties: ['openDirectory'] },
};

export async function pickPath(window: BrowserWindow | undefined, purpose: PickPurpose, grants: PathGrants): Promise<string | undefined> {
  const options = PICK_OPTIONS[purpose];
  const result = window === undefined ? await dialog.showOpenDialog(options) : await dialog.showOpenDialog(window, options);
  const path = result.canceled ? undefined : result.filePaths[0];
  if (path !== undefined) grants.grant(path);
  return path;
}

/** A save dialog offering a file name (only its last part is taken, so a page cannot suggest a folder). */
export async function pickSavePath(window: BrowserWindow | undefined, suggestedName: string, grants: PathGrants): Promise<string | undefined> {
  const options: SaveDialogOptions = { defaultPath: basename(suggestedName), properties: ['createDirectory', 'showOverwriteConfirmation'] };
  const result = window === undefined ? await dialog.showSaveDialog(options) : await dialog.showSaveDialog(window, options);
  const path = result.canceled || !result.filePath ? undefined : result.filePath;
  if (path !== undefined) grants.grant(path);
  return path;
}
