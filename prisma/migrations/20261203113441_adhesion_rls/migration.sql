-- Hand-written: the IPA registry and the adhesion requests exist before any tenant does, so they
-- are platform data. Row-level security still fails closed: only a platform-scope transaction
-- (withPlatformScope, with its reason) reads or writes them.
ALTER TABLE public_bodies ENABLE ROW LEVEL SECURITY;
ALTER TABLE public_bodies FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON public_bodies
  USING (app_platform_scope())
  WITH CHECK (app_platform_scope());
ALTER TABLE adhesion_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE adhesion_requests FORCE ROW LEVEL SECURITY;
CREATE POLICY platform_only ON adhesion_requests
  USING (app_platform_scope())
  WITH CHECK (app_platform_scope());
