import type { AnyCheck } from '../../src/model.js';
import secretsRequired from './supabase.secrets.required.js';

export const supabaseChecks: AnyCheck[] = [secretsRequired];
