/**
 * The Mandelbrot set, one tile at a time: pure arithmetic with no DOM and
 * no imports, so the worker renders with it and the test recomputes the
 * expected image in Node with the very same code. Colours come from integer
 * arithmetic only (no `Math.sin`/`Math.log`), so every engine paints the
 * same bytes.
 */

/** What to draw: the image size, the point at its centre, complex units per pixel, the iteration cap. */
export interface View {
  readonly width: number;
  readonly height: number;
  readonly centerX: number;
  readonly centerY: number;
  readonly scale: number;
  readonly maxIter: number;
}

/** A rectangle of the image, in pixels. */
export interface Tile {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Cuts the image into tiles of `size` × `size` pixels (smaller at the right and bottom edges), row by row. */
export function tilesOf(width: number, height: number, size: number): Tile[] {
  const tiles: Tile[] = [];
  for (let y = 0; y < height; y += size) {
    for (let x = 0; x < width; x += size) tiles.push({ x, y, w: Math.min(size, width - x), h: Math.min(size, height - y) });
  }
  return tiles;
}

/** RGB of a point that escaped after `n` iterations: a repeating ramp, black inside the set. */
export function colour(n: number, maxIter: number): [number, number, number] {
  if (n >= maxIter) return [0, 0, 0];
  const t = (n * 9) % 256;
  const up = t < 128 ? t * 2 : 510 - t * 2; // 0 → 254 → 0
  return [(up * 3 + 40) % 256, (t + 60) % 256, 255 - (up >> 1)];
}

/** Renders `tile` of `view`: RGBA pixels (opaque) and the sum of the iteration counts. */
export function renderPixels(view: View, tile: Tile): { pixels: Uint8ClampedArray; iterations: number } {
  const pixels = new Uint8ClampedArray(tile.w * tile.h * 4);
  let iterations = 0;
  let o = 0;
  for (let py = tile.y; py < tile.y + tile.h; py++) {
    const ci = view.centerY + (py - view.height / 2) * view.scale;
    for (let px = tile.x; px < tile.x + tile.w; px++) {
      const cr = view.centerX + (px - view.width / 2) * view.scale;
      let zr = 0;
      let zi = 0;
      let n = 0;
      while (n < view.maxIter && zr * zr + zi * zi <= 4) {
        const t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        n++;
      }
      iterations += n;
      const [r, g, b] = colour(n, view.maxIter);
      pixels[o++] = r;
      pixels[o++] = g;
      pixels[o++] = b;
      pixels[o++] = 255;
    }
  }
  return { pixels, iterations };
}
