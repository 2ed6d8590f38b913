import type { EventMessage } from '../../common/contract';
import { CHANNELS } from '../common/routes';

/** The windows that asked for the service's events, and the forwarding of each event to them. */
export interface Subscriber {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, message: EventMessage): void;
  once(event: 'destroyed', listener: () => void): unknown;
}

export class EventRelay {
  private readonly subscribers = new Map<number, Subscriber>();

  add(contents: Subscriber): void {
    if (this.subscribers.has(contents.id)) return;
    this.subscribers.set(contents.id, contents);
    contents.once('destroyed', () => this.subscribers.delete(contents.id));
  }

  remove(contents: Subscriber): void {
    this.subscribers.delete(contents.id);
  }

  forward(message: EventMessage): void {
    for (const contents of this.subscribers.values()) if (!contents.isDestroyed()) contents.send(CHANNELS.event, message);
  }
}
