/**
 * The task module of the Mandelbrot page: one task, run in Web Workers by
 * the page's `Pool`. Its pixels go back without a copy: the task returns
 * `transfer(value, [buffer])`, which moves the tile's `ArrayBuffer` to the
 * page. The page types its pool with `typeof import('./tasks.js')`;
 * `mandelbrot.worker.ts` exposes these functions in each worker.
 */
import { currentProcess, transfer, type Transfer } from '@multiproc/browser';
import { renderPixels, type Tile, type View } from './mandelbrot.js';

/** One tile to render (one argument per item, as `imapUnordered` passes them). */
export interface TileJob {
  readonly view: View;
  readonly tile: Tile;
}

/** A rendered tile: where it goes, its RGBA pixels, its iteration count, and which worker drew it. */
export interface RenderedTile {
  readonly tile: Tile;
  readonly pixels: ArrayBuffer;
  readonly iterations: number;
  readonly worker: string;
}

export function renderTile(job: TileJob): Transfer<RenderedTile> {
  const { pixels, iterations } = renderPixels(job.view, job.tile);
  const buffer = pixels.buffer as ArrayBuffer;
  return transfer({ tile: job.tile, pixels: buffer, iterations, worker: currentProcess().name }, [buffer]);
}
