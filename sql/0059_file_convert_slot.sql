-- One photo at a time per person (issue 22, QA: six photo uploads at
-- once held every worker of the files program for half a minute).
--
-- An image is re-encoded by libvips for seconds (lib/file_image.c).
-- Uploads have workers of their own (nginx's $parta_pool, a program's
-- PROGRAM-upload.sock), a few per program; one person must not hold
-- them all.  lib/file asks for this slot, in the request's
-- transaction, before it converts the first image of a request (a
-- message with five photos converts them in turn, in one request); a
-- second request of the same person meanwhile, in whichever program or
-- worker, is refused at once (429: wait for the previous file) and
-- holds its worker no longer.  The slot is a transaction-level advisory
-- lock keyed by the account: it goes with the transaction's end, or
-- with the connection of a worker that died.

-- Whether the request's account may convert images now: true, and the
-- slot held to the end of the transaction (again true within it); false
-- while another transaction of the same account holds it.  A visitor
-- (no account) is refused.
CREATE FUNCTION parta.file_convert_slot() RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	me bigint := parta.rls_account();
BEGIN
	IF me IS NULL THEN
		RAISE EXCEPTION 'file_convert_slot: no account'
		    USING ERRCODE = 'PA403';
	END IF;
	RETURN pg_try_advisory_xact_lock(hashtextextended(
	    'parta.file_convert:' || me, 0));
END
$$;
