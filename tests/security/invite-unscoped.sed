# The proof that row-level security bites (tests/http/test_rls.c): a copy
# of cgi-bin/invite.c whose one link lookup forgets its organization.
# invite_get (GET /org/N/invites/M) then finds link M of any organization;
# the database still hides another organization's link from parta_app,
# so the page stays 404.  Applied to a copy in build/, never to the source.
s/" WHERE i\.org_id = \$1 AND i\.id = \$5"/" WHERE i.id = $5"/
