/**
 * @multiproc/browser: the Web Worker runtime seam. Not implemented yet: this
 * package re-exports core's runtime-agnostic API (errors, AsyncResult, helpers)
 * so the workspace graph is in place; the Web Worker adapter lands with issue 4.
 */
export * from '@multiproc/core';
