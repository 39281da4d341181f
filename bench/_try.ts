import { liveScale } from './live-scale.js';
await liveScale();
