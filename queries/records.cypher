// 12345 / 吹哨 records routed by the list (services/records.py).

// name: upsert
// Records keyed by a hash of their content (township, time, text, the export's own id): loading the same records
// again, under any file name, changes nothing. A new record is written pending with its upload's id, so nobody
// sees it until `commit` clears the mark of the whole upload in one statement.
UNWIND $rows AS r
MERGE (x:Record {id: r.id})
ON CREATE SET x.pending = $upload
WITH x, r
WHERE x.pending = $upload
SET x.time = r.time, x.township = r.township, x.text = r.text, x.category = r.category, x.sent_to = r.sent_to,
    x.sent_side = r.sent_side, x.route = r.route, x.part = r.part, x.handler = r.handler, x.score = r.score,
    x.evidence = r.evidence, x.response_hours = r.response_hours, x.closing_hours = r.closing_hours,
    x.source = r.source, x.external_id = r.external_id, x.satisfaction = r.satisfaction

// name: commit
// One statement makes the whole upload visible and writes its audit entry: a kill before it leaves nothing seen.
OPTIONAL MATCH (x:Record {pending: $upload})
SET x.pending = null
WITH count(x) AS committed
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
RETURN committed

// name: pending_uploads
// Uploads that never reached their commit (the server died during them): their records are removed.
MATCH (x:Record)
WHERE x.pending IS NOT NULL AND x.pending < $before
RETURN DISTINCT x.pending AS upload

// name: delete_pending_batch
MATCH (x:Record {pending: $upload})
WITH x LIMIT $limit
DETACH DELETE x
RETURN count(*) AS deleted

// name: link
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
UNWIND $rows AS r
MATCH (x:Record {id: r.id})
WITH x, r
MATCH (i:DutyItem {id: r.item_id})
MERGE (x)-[m:ROUTED_TO]->(i)
SET m.score = r.score

// name: routed
// The stored records (of one township, or all) in the shape services/records.py routes them.
MATCH (x:Record)
WHERE ($township IS NULL OR x.township = $township) AND x.pending IS NULL
OPTIONAL MATCH (x)-[:ROUTED_TO]->(i:DutyItem)
RETURN x.id AS id, x.external_id AS external_id, x.time AS time, x.township AS township, x.text AS text,
       x.category AS category,
       x.sent_to AS sent_to, x.sent_side AS sent_side, x.route AS route, x.part AS part, x.handler AS handler,
       x.score AS score, x.evidence AS evidence, x.response_hours AS response_hours,
       x.closing_hours AS closing_hours, x.satisfaction AS satisfaction, i.id AS item_id, i.name AS item
ORDER BY time, id

// name: item_counts
// How often each item of a township's current list occurs in the stored records (a post's workload).
MATCH (:Township {name: $township})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WITH i
MATCH (x:Record)-[:ROUTED_TO]->(i)
WHERE x.pending IS NULL
RETURN i.id AS id, count(x) AS records
