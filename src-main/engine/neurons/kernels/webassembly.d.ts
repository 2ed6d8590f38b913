/**
 * The part of the WebAssembly JS API the neuron kernels use. Node has it at run time, but its
 * typings (and TypeScript's ES libs) do not declare it; the DOM lib would bring far more.
 */
declare namespace WebAssembly {
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(deltaPages: number): number;
  }
  interface Module {}
  interface Instance {
    readonly exports: Record<string, unknown>;
  }
  const Module: { new (bytes: Uint8Array): Module };
  const Instance: { new (module: Module, imports: Record<string, unknown>): Instance };
}
