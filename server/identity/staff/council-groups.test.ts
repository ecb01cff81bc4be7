import { describe, expect, test } from "vitest";
import { councilGroupPath, councilGroups, councilRoleOfPath, rolesIn } from "./council-groups.ts";
import { RealmAdminError, type RealmDirectory, type RealmGroup } from "./realm-admin.ts";

const group = (path: string, id = `id${path}`): RealmGroup => ({ id, name: path.split("/").pop()!, path });

/** A realm that answers group lookups from a table (everything else is unused here). */
function realmWith(answers: Record<string, RealmGroup | null>): RealmDirectory {
  const unused = () => Promise.reject(new Error("not used"));
  return {
    groupByPath: async (p) => answers[p] ?? null,
    findUserByEmail: unused,
    createUser: unused,
    userGroups: unused,
    joinGroup: unused,
    leaveGroup: unused,
    groupMembers: unused,
    sendActionsEmail: unused,
  };
}
const threeOf = (ipa: string) =>
  Object.fromEntries(
    ["admins", "operators", "viewers"].map((g) => [`/tenants/${ipa}/${g}`, group(`/tenants/${ipa}/${g}`)]),
  );

describe("council group paths", () => {
  test("each council role has exactly one group path", () => {
    expect(councilGroupPath("c_x001", "tenant-admin")).toBe("/tenants/c_x001/admins");
    expect(councilGroupPath("c_x001", "operator")).toBe("/tenants/c_x001/operators");
    expect(councilGroupPath("c_x001", "viewer")).toBe("/tenants/c_x001/viewers");
  });

  test.each([
    "c_x001/../c_x002",
    "c_x001/operators",
    "",
    "C_X001",
    "c x001",
    "../tenants",
    "c_x001%2Fadmins",
    "a".repeat(41),
  ])("an IPA code %j that is not one is refused", (ipa) => {
    expect(() => councilGroupPath(ipa, "operator")).toThrow(/not an IPA code/);
  });

  test("only the council's own three groups map to a role", () => {
    expect(councilRoleOfPath("c_x001", "/tenants/c_x001/admins")).toBe("tenant-admin");
    for (const path of [
      "/tenants/c_x002/admins",
      "/tenants/c_x001/systems",
      "/tenants/c_x001",
      "/tenants/c_x001/admins/x",
      "/tenants/C_X001/admins",
      "tenants/c_x001/admins",
      "/tenants/c_x001/admins/",
      "/other/c_x001/admins",
    ]) {
      expect(councilRoleOfPath("c_x001", path), path).toBeNull();
    }
    expect(councilRoleOfPath("c_x001/../c_x002", "/tenants/c_x002/admins")).toBeNull();
  });
});

describe("resolving a council's groups in the realm", () => {
  test("gives the three groups and knows no other group id", async () => {
    const groups = await councilGroups(realmWith(threeOf("c_x001")), "c_x001");
    expect(groups.byRole.operator.path).toBe("/tenants/c_x001/operators");
    expect(groups.roleOf("id/tenants/c_x001/viewers")).toBe("viewer");
    expect(groups.roleOf("id/tenants/c_x002/viewers")).toBeNull();
  });

  test("refuses an answer naming another council's group, and a council without groups", async () => {
    const lying = realmWith({ ...threeOf("c_x001"), "/tenants/c_x001/admins": group("/tenants/c_x002/admins") });
    await expect(councilGroups(lying, "c_x001")).rejects.toMatchObject({ kind: "refused" });
    await expect(councilGroups(realmWith(threeOf("c_x001")), "c_x009")).rejects.toBeInstanceOf(RealmAdminError);
    await expect(councilGroups(realmWith(threeOf("c_x001")), "c_x001/../c_x002")).rejects.toThrow(/not an IPA code/);
  });

  test("a user's roles come only from the council's groups, by id and path", async () => {
    const groups = await councilGroups(realmWith(threeOf("c_x001")), "c_x001");
    expect(
      rolesIn(groups, [
        group("/tenants/c_x001/viewers"),
        group("/tenants/c_x002/admins"),
        group("/tenants/c_x001/admins", "forged-id"),
      ]),
    ).toEqual(["viewer"]);
  });
});

describe("what a council's groups grant", () => {
  test("the platform creates groups with exactly the realm data's mappings (infra/dev-idp/oidc/realm-data.ts, the Keycloak export)", async () => {
    const { TENANT_SUBGROUPS, API_CLIENT_ID: realmApiClient } =
      await import("../../../infra/dev-idp/oidc/realm-data.ts");
    const { COUNCIL_SUBGROUPS, API_CLIENT_ID } = await import("./council-group-roles.ts");
    expect(API_CLIENT_ID).toBe(realmApiClient);
    expect(JSON.parse(JSON.stringify(COUNCIL_SUBGROUPS))).toEqual(JSON.parse(JSON.stringify(TENANT_SUBGROUPS)));
  });
});
