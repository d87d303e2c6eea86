-- Indexes the benchmarks (make bench, bench/results.md) showed missing.

-- The home page's onboarding checklist asks "has a teacher been invited?"
-- (and "a student?"): without an index by role that read every invite
-- of the organization, thousands for a school that hands out personal
-- links, 9 ms a page instead of 0.03.
CREATE INDEX invite_role ON parta.invite (org_id, role);
