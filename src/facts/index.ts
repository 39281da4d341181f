/** Every built-in fact: what a plugin check can read besides its own (`facts` in hipaa-readiness/plugin). */
export * from './aws.js';
export * from './aws-account.js';
export * from './aws-detection.js';
export * from './aws-identity.js';
export * from './aws-network.js';
export * from './config.js';
export * from './evidence.js';
export * from './postgres.js';
export * from './probes.js';
export * from './repository.js';
export * from './supabase.js';
export * from './supabase-local.js';
export * from './supabase-management.js';
