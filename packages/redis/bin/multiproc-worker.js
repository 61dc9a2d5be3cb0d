#!/usr/bin/env node
// The multiproc-worker bin: a committed file, so installs link it before the package is built.
import "../dist/cli.js";
