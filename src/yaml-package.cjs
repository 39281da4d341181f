// The yaml library, for every module of the tool that reads or writes YAML, which requires it on first use through
// src/yaml.ts. The build bundles this file into dist/src/yaml-package.cjs (scripts/bundle-yaml.mjs): yaml's 72 modules become one, which
// Node loads in about 12 ms instead of 42.
module.exports = require('yaml');
