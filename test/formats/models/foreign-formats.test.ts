import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WorkbenchError } from '../../../src-main/common/errors';
import { isPytorchZip, sniffForeignModel } from '../../../src-main/formats/model/foreign-formats';
import { loadModelFile } from '../../../src-main/formats/node/load-model';
import { tppw } from '../../helpers/cli';
import { REPO_ROOT, fixture } from '../../helpers/fixtures';

/**
 * Model formats the workbench does not import are named, with the way in through ONNX, by
 * content: real files written by TensorFlow 2.15 (make_tf2onnx.py) and PyTorch 2.5
 * (make_torch.py); a real NIR graph from sinabs is not refused: it imports as a spiking network.
 */
const OTHER = join(REPO_ROOT, 'test', 'fixtures', 'generated', 'other');
const NIR = fixture('models/sinabs_scnn_mnist.nir');
const HAVE_NIR = existsSync(NIR);
if (!HAVE_NIR) console.warn(`${NIR} not found: the NIR test is skipped`);

const TO_ONNX = /which this build does not import: .* and import the \.onnx file$/;
const cases: { file: string; says: RegExp; advice: RegExp }[] = [
  { file: join(OTHER, 'tiny_graphdef.pb'), says: /: a TensorFlow GraphDef \(frozen graph\), /, advice: /python -m tf2onnx\.convert --graphdef FILE/ },
  { file: join(OTHER, 'saved_model.pb'), says: /: a TensorFlow SavedModel, /, advice: /python -m tf2onnx\.convert --saved-model DIR/ },
  { file: join(OTHER, 'tiny.tflite'), says: /: a TensorFlow Lite model, /, advice: /python -m tf2onnx\.convert --tflite FILE/ },
  { file: join(OTHER, 'tiny.pt'), says: /: a PyTorch file \(torch\.save or torch\.jit\.save\), /, advice: /torch\.onnx\.export\(model, example_input, 'model\.onnx'\)/ },
  { file: join(OTHER, 'tiny_script.pt'), says: /: a PyTorch file \(torch\.save or torch\.jit\.save\), /, advice: /torch\.onnx\.export/ },
  { file: join(OTHER, 'tiny_legacy.pth'), says: /: a Python pickle \(torch\.save's legacy format\), /, advice: /torch\.onnx\.export/ },
];

async function refusal(file: string): Promise<WorkbenchError> {
  const error = await loadModelFile(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkbenchError);
  return error as WorkbenchError;
}

/** `tppw model summary FILE`: exit 2, nothing on stdout, one line on stderr. */
function summaryLine(file: string): string {
  const run = tppw(['model', 'summary', file]);
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('model files of other formats are named, with what to do', () => {
  for (const { file, says, advice } of cases) {
    it(`${file.split('/').pop()}: loadModelFile and tppw model summary`, async () => {
      const error = await refusal(file);
      expect(error.kind).toBe('unsupported');
      expect(error.message.startsWith(`${file}: `)).toBe(true);
      expect(error.message).toMatch(says);
      expect(error.message).toMatch(advice);
      expect(error.message).toMatch(TO_ONNX);
      expect(error.message).not.toContain('\n');
      expect(summaryLine(file)).toBe(`tppw model: ${error.message}`);
    }, 30_000);
  }

  it.skipIf(!HAVE_NIR)('a NIR graph (HDF5, not Keras) imports as a spiking network, not as Keras', async () => {
    // sinabs's SCNN for N-MNIST: nir.read lists Conv2d, IF, SumPool2d, Flatten and Affine nodes
    // (TOOLING.md); its input is 2 × 34 × 34 (polarity channels of the N-MNIST sensor).
    const model = await loadModelFile(NIR);
    expect(model.format).toBe('nir');
    expect(model.graph.input.shape).toEqual([34, 34, 2]);
    expect(model.snn?.layers.every((l) => l.neuron === 'if')).toBe(true);
    const ops = model.graph.nodes.map((n) => n.op);
    expect(ops.filter((op) => op === 'conv2d')).toHaveLength(3);
    expect(ops.filter((op) => op === 'dense')).toHaveLength(2);
    expect(ops).toContain('flatten');
    const summary = tppw(['model', 'summary', NIR]);
    expect(summary.code, summary.stderr).toBe(0);
    expect(summary.stdout).toMatch(/spiking network: .*\n(  \d+: if, reset subtract.*\n){5}/);
  }, 30_000);
});
