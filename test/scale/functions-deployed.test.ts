import { describe, expect, it } from 'vitest';
import functionsDeployed from '../../checks/supabase/supabase.functions.deployed.js';
import { growth } from '../support/scans.js';

const deployed = (slug: string) => ({ slug, status: 'ACTIVE', version: 4, updatedAt: '2025-10-10T00:00:00.000Z', verifyJwt: true });

describe('supabase.functions.deployed at scale', () => {
  it('each local function is looked up among the deployed ones, not searched for', () => {
    const estate = (size: number) => {
      const names = Array.from({ length: size }, (_, i) => `fn-${i}`);
      const functions = [...names, 'never-deployed'].map((name) => ({ name, lastModified: '2025-10-09T00:00:00Z', changeSource: 'git', shared: [] }));
      return {
        facts: { local: { dir: 'supabase/functions', shallow: false, functions }, deployed: [...names.map(deployed), deployed('removed-locally')] },
        config: { supabase: { projectRef: 'abcdefghijklmnopqrst' } },
      };
    };
    const { scans, results } = growth(functionsDeployed, estate);
    expect(results).toBeCloseTo(4, 1);
    expect(scans).toBeLessThan(5);
  });
});
