import { ColumnsBuilder } from './columns-builder';
import type { EventArena, EventPointers } from '../kernels/event-arena';

/**
 * Event columns that live in the thread's EventArena, for decoders whose loops run as WebAssembly
 * kernels: a kernel writes the events where `pointers()` says, and `x`, `y`, `tUs`, `p` are views
 * of the same memory (taken again whenever the arena has moved). Batches taken as transient are
 * views of the arena, valid until the next decoder of the thread runs.
 */
export class ArenaColumns extends ColumnsBuilder {
  private generation = -1;

  constructor(readonly arena: EventArena) {
    super(0);
  }

  override reserve(more: number): void {
    this.arena.reserveEvents(this.length + more);
    this.sync();
  }

  /** Column pointers for a kernel (valid until the arena next grows). */
  pointers(): EventPointers {
    return this.arena.pointers();
  }

  override take(transient = false) {
    this.sync();
    return super.take(transient);
  }

  private sync(): void {
    if (this.generation === this.arena.generation) return;
    const buffer = this.arena.memory().buffer;
    const at = this.arena.pointers();
    const c = this.arena.eventCapacity;
    this.tUs = new Float64Array(buffer, at.t, c);
    this.x = new Uint16Array(buffer, at.x, c);
    this.y = new Uint16Array(buffer, at.y, c);
    this.p = new Uint8Array(buffer, at.p, c);
    this.generation = this.arena.generation;
  }
}
