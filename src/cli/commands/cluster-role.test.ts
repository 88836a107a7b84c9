import { describe, expect, it } from 'vitest';
import { ClusterRole } from '../../runtime/index.js';
import { CLUSTER_ROLES } from './cluster-role.js';

describe('CLUSTER_ROLES', () => {
  it("lists the runtime's cluster roles, in the same order", () => {
    expect([...CLUSTER_ROLES]).toEqual(ClusterRole.options);
  });
});
