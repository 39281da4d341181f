// The build's step after tsc (`npm run build`): dist/src/zod-package.js, which re-exports zod, becomes zod itself,
// bundled. zod's ES build is 96 modules (64 of them its locales, all loaded by its entry); Node resolves, reads and
// links each on its own, which took about 85 ms of every run that validates, against about 31 ms for the one module.
import { bundlePackage } from './bundle-package.mjs';

await bundlePackage('zod-package', 'zod');
