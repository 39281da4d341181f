import type { AnyCheck } from '../../src/model.js';
import alarmsRequired from './monitoring.alarms.required.js';

export const monitoringChecks: AnyCheck[] = [alarmsRequired];
