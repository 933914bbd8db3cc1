-- The by-user lookup of the audit trail (GET /api/v1/audit?user=NAME, issue
-- 2). The query filters on username: the name the auditor asks for, which
-- also covers actors that have no user id ("anonymous", "cli:..."). The index
-- of 0001 was on user_id, which no query reads, so a page of one user's
-- events walked the trail back from its newest event until it had found a
-- page; for a user with few events in a trail of millions, that is all of
-- it. The index is now on (username, id): a page of one user's events, newest
-- first, reads only that user's rows. Each audit insert still updates
-- one by-user index, as before.
DROP INDEX audit_events_user;
CREATE INDEX audit_events_username ON audit_events (username, id);
