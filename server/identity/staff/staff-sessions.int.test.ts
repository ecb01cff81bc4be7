import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { inject } from "vitest";
import { withCouncilRoles } from "../../tenancy/change-staff-role.ts";
import type { StaffPrincipal } from "./staff-principal.ts";
import { StaffSessions } from "./staff-sessions.ts";

// Issue 13 item 7: a change of someone's roles reaches the sessions they already have open.
describe("staff sessions indexed by person", () => {
  const redis = new Redis(inject("redisUrl"));
  const sessions = new StaffSessions(redis, `${inject("queuePrefix")}:sessions-test`, {
    secret: "a-test-secret-of-some-length",
    idleSeconds: 600,
    maxSeconds: 3600,
  });
  afterAll(() => redis.quit());

  const person = (
    memberships: StaffPrincipal["memberships"],
    platformRoles: StaffPrincipal["platformRoles"] = [],
  ): StaffPrincipal => ({
    subject: `sub-${Date.now()}-${Math.random()}`,
    username: "p",
    name: "P",
    email: null,
    platformRoles,
    memberships,
  });

  it("gives every open session of the person the council roles a change leaves them, and nobody else's", async () => {
    const p = person({ c_a: ["operator"], c_b: ["tenant-admin"] });
    const other = person({ c_a: ["operator"] });
    const [one, two, theirs] = [
      await sessions.create(p, "t"),
      await sessions.create(p, "t"),
      await sessions.create(other, "t"),
    ];

    expect(await sessions.updateSubject(p.subject, withCouncilRoles("c_a", ["viewer"]))).toBe(2);
    for (const cookie of [one, two])
      expect((await sessions.get(cookie))!.principal.memberships).toEqual({ c_a: ["viewer"], c_b: ["tenant-admin"] });
    expect((await sessions.get(theirs))!.principal.memberships).toEqual({ c_a: ["operator"] });

    // Removed from one council: the sessions stay for the other.
    await sessions.updateSubject(p.subject, withCouncilRoles("c_a", []));
    expect((await sessions.get(one))!.principal.memberships).toEqual({ c_b: ["tenant-admin"] });
    // Removed from the last one: with no platform role either, the sessions end.
    await sessions.updateSubject(p.subject, withCouncilRoles("c_b", []));
    expect(await sessions.get(one)).toBeNull();
    expect(await sessions.get(two)).toBeNull();
    expect(await sessions.get(theirs)).not.toBeNull();
  });

  it("keeps a platform role's session when its last council goes", async () => {
    const helpdesk = person({ c_a: ["viewer"] }, ["regional-helpdesk"]);
    const cookie = await sessions.create(helpdesk, "t");
    await sessions.updateSubject(helpdesk.subject, withCouncilRoles("c_a", []));
    expect((await sessions.get(cookie))!.principal).toMatchObject({
      platformRoles: ["regional-helpdesk"],
      memberships: {},
    });
  });

  it("at login the realm is the truth: the person's older sessions take the new login's principal", async () => {
    const before = person({ c_a: ["tenant-admin"] });
    const old = await sessions.create(before, "t");
    await sessions.create({ ...before, memberships: { c_a: ["viewer"] } }, "t");
    expect((await sessions.get(old))!.principal.memberships).toEqual({ c_a: ["viewer"] });
  });

  it("does not bring back a session that was logged out", async () => {
    const p = person({ c_a: ["operator"] });
    const cookie = await sessions.create(p, "t");
    await sessions.destroy(cookie);
    expect(await sessions.updateSubject(p.subject, withCouncilRoles("c_a", ["viewer"]))).toBe(0);
    expect(await sessions.get(cookie)).toBeNull();
  });
});
