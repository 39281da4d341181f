import type { AnyCheck } from '../../src/model.js';
import errorTracking from './monitoring.error-tracking.js';
import alarmsRequired from './monitoring.alarms.required.js';
import alarmsActions from './monitoring.alarms.actions.js';
import dashboards from './monitoring.dashboards.js';

export const monitoringChecks: AnyCheck[] = [alarmsRequired, alarmsActions, dashboards, errorTracking];
