// Production build as users ship it: minified (class names renamed), so the
// e2e test proves errors keep their class and name across workers anyway.
export default {
  build: { minify: true },
};
