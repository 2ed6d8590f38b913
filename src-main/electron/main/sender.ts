import type { IpcMainEvent, IpcMainInvokeEvent } from 'electron';
import { isAppUrl } from './app-protocol';

/**
 * IPC is answered only for the app's own window: the message must come from the main frame of a
 * window main created, showing an app:// page. Anything else (a frame that navigated away, a
 * webContents main did not make) is ignored or refused.
 */
export class TrustedSenders {
  private readonly ids = new Set<number>();

  add(contents: { readonly id: number; once(event: 'destroyed', listener: () => void): unknown }): void {
    this.ids.add(contents.id);
    contents.once('destroyed', () => this.ids.delete(contents.id));
  }

  trusts(event: IpcMainEvent | IpcMainInvokeEvent): boolean {
    const frame = event.senderFrame;
    return frame !== null && this.ids.has(event.sender.id) && frame === event.sender.mainFrame && isAppUrl(frame.url);
  }
}
