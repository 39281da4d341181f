import { defineCheck, type Finding } from '../../src/model.js';
import { SUPABASE_HEALTH_SERVICES, supabaseHealth, supabaseProjectStatus } from '../../src/facts/supabase-management.js';
import { projectRefOf } from '../lib/supabase.js';

export default defineCheck({
  meta: {
    id: 'supabase.project.healthy',
    title: 'Supabase project and services are healthy',
    failureTitle: 'Supabase project or one of its services is unhealthy',
    description: 'The project must be ACTIVE_HEALTHY and each service the app uses (auth, database, REST, storage, realtime) must report healthy; a paused or degraded project takes the app down.',
    section: 'supabase',
    severity: 'high',
    layer: 'infrastructure',
    hipaa: [],
    phase: 2,
    remediation: {
      text: 'Restore the project or the failing service (Dashboard → Project Settings → General → Restart project), then check its logs',
      command: 'curl -fsS "https://api.supabase.com/v1/projects/{{projectRef}}/health?services=auth,db,rest,storage,realtime" -H "Authorization: Bearer $SUPABASE_ACCESS_TOKEN"',
      effortMinutes: 30,
    },
    messages: {
      healthy: 'Project {{resource}} is ACTIVE_HEALTHY',
      'project-unhealthy': 'Project {{resource}} is {{status}}, not ACTIVE_HEALTHY',
      'service-healthy': 'Service {{resource}} is healthy',
      'service-unhealthy': 'Service {{resource}} is {{status}}{{error}}',
      'no-services': 'The health endpoint reported no service',
      'service-not-reported': 'The health endpoint did not report {{resource}}, which was asked for: its health is not known',
    },
  },
  facts: { project: supabaseProjectStatus, health: supabaseHealth },
  evaluate({ project, health }, { config }) {
    const projectRef = projectRefOf(config);
    const healthy = project.status === 'ACTIVE_HEALTHY';
    const findings: Finding[] = [
      {
        resource: project.ref,
        status: healthy ? 'pass' : 'fail',
        code: healthy ? 'healthy' : 'project-unhealthy',
        args: { status: project.status, projectRef },
        evidence: { name: project.name, region: project.region, status: project.status, databaseVersion: project.databaseVersion },
      },
    ];
    if (health.services.length === 0) return [...findings, { resource: 'services', status: 'fail', code: 'no-services', args: { projectRef } }];
    for (const service of health.services) {
      const ok = service.status === 'ACTIVE_HEALTHY';
      findings.push({
        resource: service.name,
        status: ok ? 'pass' : 'fail',
        code: ok ? 'service-healthy' : 'service-unhealthy',
        args: { status: service.status, error: service.error ? `: ${service.error}` : '', projectRef },
        evidence: { status: service.status, error: service.error },
      });
    }
    // A service asked for and left out of the answer is not known to be healthy.
    const reported = new Set(health.services.map((service) => service.name));
    for (const name of SUPABASE_HEALTH_SERVICES) {
      if (!reported.has(name)) findings.push({ resource: name, status: 'unverified', code: 'service-not-reported', args: { projectRef } });
    }
    return findings;
  },
});
