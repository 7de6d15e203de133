// Change requests (调整申请) and their reviews.

// name: create
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
MATCH (r:ChangeRequest {id: $id})
WHERE r.status = $expected
SET r.status = $status
RETURN r.id AS id

// name: review
// The decision and the status move in one statement, and only from the status the reviewer saw.
MATCH (r:ChangeRequest {id: $id})
WHERE r.status = $expected
SET r.status = $status
CREATE (r)-[:HAS_REVIEW]->(:Review {id: $review_id, step: $step, reviewer: $reviewer, org: $org,
                                    decision: $decision, comment: $comment, date: $date})
RETURN r.id AS id

// name: applied
MATCH (r:ChangeRequest {id: $id}), (l:DutyList {id: $list_id})
SET r.status = 'applied', r.applied_list_id = $list_id
CREATE (r)-[:APPLIED_AS]->(l)
