// The build's step after tsc (`npm run build`): src/yaml-package.cjs, which re-exports the yaml library, bundled into
// dist/src/yaml-package.cjs. yaml's CommonJS build is 72 modules; Node resolves, reads and compiles each on its own,
// which took about 42 ms of every run whose config is outside the plain subset, against about 12 ms for the one module.
import { bundleCommonJsPackage } from './bundle-package.mjs';

await bundleCommonJsPackage('yaml-package', 'yaml');
