-- A young child's account has no contact to verify: once a guardian has
-- confirmed its registration (child_signup.confirmed_at, 0017) it counts
-- as verified, and housekeeping (0020) must never purge it as an
-- unverified sign-up.  One still waiting after 7 days goes, as any
-- unverified sign-up does.
CREATE OR REPLACE FUNCTION parta.account_unverified_purge(p_contact text)
RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
	a bigint;
	n int := 0;
BEGIN
	FOR a IN
		SELECT id FROM parta.account
		WHERE (p_contact IS NULL OR phone = p_contact OR
		    email = p_contact)
		AND NOT phone_verified AND NOT email_verified
		AND created_at < now() - interval '7 days'
		AND NOT EXISTS (SELECT 1 FROM parta.child_signup s
		    WHERE s.child_id = account.id
		    AND s.confirmed_at IS NOT NULL)
	LOOP
		BEGIN
			DELETE FROM parta.account WHERE id = a;
			n := n + 1;
		EXCEPTION WHEN foreign_key_violation THEN
			NULL;
		END;
	END LOOP;
	RETURN n;
END
$$;
