/** `hipaa-readiness`: the plugin API (also at `hipaa-readiness/plugin`) and the JSON report's types. */
export * from './plugin.js';
export type { CheckInfo, Report, Result, SectionScore, Status, Waiver } from './model.js';
