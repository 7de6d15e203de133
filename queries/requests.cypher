// Change requests (调整申请) and their reviews.

// name: create
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
MATCH (t:Township {id: $township_id})
CREATE (r:ChangeRequest {id: $id, township_id: $township_id, kind: $kind, reason_type: $reason_type,
                         reason: $reason, evidence: $evidence, payload: $payload, status: $status,
                         proposer: $proposer, org: $org, created_at: $created_at, deadline: $deadline, law: $law})
CREATE (r)-[:REQUESTED_FOR]->(t)

// name: find
// The one projection of requests: by id, or by township and statuses, or those past their deadline on $today.
MATCH (r:ChangeRequest)-[:REQUESTED_FOR]->(t:Township)
WHERE ($id IS NULL OR r.id = $id) AND ($township IS NULL OR t.name = $township)
  AND ($statuses IS NULL OR r.status IN $statuses)
  AND ($today IS NULL OR (r.deadline IS NOT NULL AND r.deadline < $today))
RETURN r.id AS id, t.name AS township, r.kind AS kind, r.reason_type AS reason_type, r.reason AS reason,
       r.evidence AS evidence, r.payload AS payload, r.status AS status, r.proposer AS proposer, r.org AS org,
       r.created_at AS created_at, r.deadline AS deadline, r.law AS law, r.applied_list_id AS applied_list_id,
       [(r)-[:HAS_REVIEW]->(v:Review) | {step: v.step, reviewer: v.reviewer, org: v.org, decision: v.decision,
                                          comment: v.comment, date: v.date}] AS reviews
ORDER BY created_at DESC, id

// name: set_status
// Compare-and-set: only from the status the caller saw; status_at dates the move (the start-up sweep reads it).
// The write lock is taken before the status is read (SET lock), so on Neo4j, where a transaction reads what is
// committed when it reads, two concurrent moves cannot both see the old status; FalkorDB runs writes one by one.
MATCH (r:ChangeRequest {id: $id})
SET r.lock = coalesce(r.lock, 0) + 1
WITH r
WHERE r.status = $expected
SET r.status = $status, r.status_at = $at
RETURN r.id AS id

// name: stale_applying
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
// Requests whose publish started before $before and never ended (the server died during it): back to approved,
// or applied when their version had been switched to before the kill (its source names the request).
MATCH (r:ChangeRequest {status: 'applying'})
WHERE r.status_at IS NULL OR r.status_at <= $before
OPTIONAL MATCH (l:DutyList)
WHERE l.source = '调整申请 ' + r.id AND l.activated_at IS NOT NULL
WITH r, head(collect(l)) AS published
SET r.status = CASE WHEN published IS NULL THEN 'approved' ELSE 'applied' END, r.status_at = $at,
    r.applied_list_id = published.id
FOREACH (x IN CASE WHEN published IS NULL THEN [] ELSE [published] END | MERGE (r)-[:APPLIED_AS]->(x))
RETURN r.id AS id, r.status AS status

// name: review
// The decision and the status move in one statement, and only from the status the reviewer saw (the lock first,
// as in set_status).
MATCH (r:ChangeRequest {id: $id})
SET r.lock = coalesce(r.lock, 0) + 1
WITH r
WHERE r.status = $expected
SET r.status = $status
CREATE (r)-[:HAS_REVIEW]->(:Review {id: $review_id, step: $step, reviewer: $reviewer, org: $org,
                                    decision: $decision, comment: $comment, date: $date})
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
RETURN r.id AS id

// name: applied
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
// The request's status, its link to the new version and its audit entry in one statement: a kill leaves all or none.
MATCH (r:ChangeRequest {id: $id}), (l:DutyList {id: $list_id})
SET r.status = 'applied', r.applied_list_id = $list_id, r.status_at = $audit.at
CREATE (r)-[:APPLIED_AS]->(l)
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
