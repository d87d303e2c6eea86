-- The scalar SQL functions of 0032-0035 that read tables, in PL/pgSQL:
-- planned once per connection instead of on every call (0031).
SELECT parta.plan_once();
