import { useEffect, useRef, useState } from 'react';
import { base64Bytes } from '../api/base64';
import { useCall } from '../api/hooks';
import { ErrorBox, Loading } from '../ui/states';

/** A page of image samples, drawn from their raw pixels, each with its label. */
const PAGE = 32;

export function ImageGrid({ id, classes }: { id: number; classes: readonly string[] }) {
  const [offset, setOffset] = useState(0);
  const page = useCall('datasets.images', { id, offset, limit: PAGE });
  if (page.error) return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (page.data === undefined) return <Loading what="images" />;
  const { shape, images, total, split } = page.data;
  return (
    <div>
      <h4>
        Samples <span className="muted">({split} split)</span>
      </h4>
      <div className="image-grid" aria-label="image samples">
        {images.map((img) => (
          <figure key={img.index}>
            <PixelCanvas pixels={img.pixels} shape={shape} />
            <figcaption>{classes[img.label] ?? img.label}</figcaption>
          </figure>
        ))}
      </div>
      <div className="pager">
        <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          Previous
        </button>
        <span className="muted">
          {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
        </span>
        <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
          Next
        </button>
      </div>
    </div>
  );
}

function PixelCanvas({ pixels, shape }: { pixels: string; shape: readonly number[] }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [H = 0, W = 0, C = 1] = shape;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const bytes = base64Bytes(pixels);
    const image = ctx.createImageData(W, H);
    for (let i = 0; i < W * H; i++) {
      const r = bytes[i * C]!;
      image.data[4 * i] = r;
      image.data[4 * i + 1] = C === 3 ? bytes[i * C + 1]! : r;
      image.data[4 * i + 2] = C === 3 ? bytes[i * C + 2]! : r;
      image.data[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }, [pixels, W, H, C]);
  return <canvas ref={ref} width={W} height={H} className="pixelated" />;
}
