import { describe, expect, test } from "vitest";
import { can } from "./access-policy.ts";
import { principalFromClaims } from "./staff-principal.ts";

const claims = (roles: string[], groups: string[]) => ({
  sub: "s",
  preferred_username: "u",
  realm_access: { roles },
  groups,
});

describe("staff principal from the realm's claims", () => {
  test("tenant roles come from the council groups, platform roles from realm roles", () => {
    const p = principalFromClaims(
      claims(
        ["operator", "regional-helpdesk", "offline_access"],
        ["/tenants/c_x001/operators", "/tenants/c_x002/viewers", "/tenants/c_x002/admins", "/other/group"],
      ),
    );
    expect(p.platformRoles).toEqual(["regional-helpdesk"]);
    expect(p.memberships).toEqual({ c_x001: ["operator"], c_x002: ["viewer", "tenant-admin"] });
  });

  test("a realm role 'operator' without a group grants no council", () => {
    const p = principalFromClaims(claims(["operator", "tenant-admin"], []));
    expect(p.memberships).toEqual({});
    expect(can(p, "tenant.read", "c_x001")).toBe(false);
  });

  test("claims without a subject are refused", () => {
    expect(() => principalFromClaims({ preferred_username: "x" })).toThrow();
  });
});

describe("access policy", () => {
  const operator = principalFromClaims(claims([], ["/tenants/c_x001/operators"]));
  const viewer = principalFromClaims(claims([], ["/tenants/c_x001/viewers"]));
  const admin = principalFromClaims(claims([], ["/tenants/c_x001/admins"]));
  const helpdesk = principalFromClaims(claims(["regional-helpdesk"], []));
  const platform = principalFromClaims(claims(["platform-admin"], []));

  test.each([
    [
      "operator",
      operator,
      {
        "tenant.read": true,
        "positions.write": true,
        "tenant.configure": false,
        "helpdesk.read": false,
        "helpdesk.write": false,
        "platform.manage": false,
      },
    ],
    [
      "viewer",
      viewer,
      {
        "tenant.read": true,
        "positions.write": false,
        "tenant.configure": false,
        "helpdesk.read": false,
        "helpdesk.write": false,
        "platform.manage": false,
      },
    ],
    [
      "tenant admin",
      admin,
      {
        "tenant.read": true,
        "positions.write": true,
        "tenant.configure": true,
        "helpdesk.read": false,
        "helpdesk.write": false,
        "platform.manage": false,
      },
    ],
    [
      "helpdesk",
      helpdesk,
      {
        "tenant.read": true,
        "positions.write": false,
        "tenant.configure": false,
        "helpdesk.read": true,
        "helpdesk.write": true,
        "platform.manage": false,
      },
    ],
    [
      "platform admin",
      platform,
      {
        "tenant.read": true,
        "positions.write": true,
        "tenant.configure": true,
        "helpdesk.read": true,
        "helpdesk.write": true,
        "platform.manage": true,
      },
    ],
  ] as const)("%s in their council", (_name, p, expected) => {
    for (const [permission, allowed] of Object.entries(expected))
      expect(can(p, permission as never, "c_x001"), permission).toBe(allowed);
  });

  test("council staff have nothing in another council", () => {
    for (const p of [operator, viewer, admin]) {
      for (const permission of ["tenant.read", "positions.write", "tenant.configure"] as const)
        expect(can(p, permission, "c_x002")).toBe(false);
    }
  });
});
