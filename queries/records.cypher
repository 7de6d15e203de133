// 12345 / 吹哨 records routed by the list (services/records.py).

// name: upsert
// Records keyed by a hash of their source row: loading the same export again changes nothing.
UNWIND $rows AS r
MERGE (x:Record {id: r.id})
SET x.time = r.time, x.township = r.township, x.text = r.text, x.category = r.category, x.sent_to = r.sent_to,
    x.sent_side = r.sent_side, x.route = r.route, x.part = r.part, x.handler = r.handler, x.score = r.score,
    x.evidence = r.evidence, x.response_hours = r.response_hours, x.closing_hours = r.closing_hours,
    x.source = r.source

// name: link
UNWIND $rows AS r
MATCH (x:Record {id: r.id})
WITH x, r
MATCH (i:DutyItem {id: r.item_id})
MERGE (x)-[m:ROUTED_TO]->(i)
SET m.score = r.score

// name: routed
// The stored records (of one township, or all) in the shape services/records.py routes them.
MATCH (x:Record)
WHERE $township IS NULL OR x.township = $township
OPTIONAL MATCH (x)-[:ROUTED_TO]->(i:DutyItem)
RETURN x.id AS id, x.time AS time, x.township AS township, x.text AS text, x.category AS category,
       x.sent_to AS sent_to, x.sent_side AS sent_side, x.route AS route, x.part AS part, x.handler AS handler,
       x.score AS score, x.evidence AS evidence, x.response_hours AS response_hours,
       x.closing_hours AS closing_hours, i.id AS item_id, i.name AS item
ORDER BY time, id

// name: item_counts
// How often each item of a township's current list occurs in the stored records (a post's workload).
MATCH (:Township {name: $township})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WITH i
MATCH (x:Record)-[:ROUTED_TO]->(i)
RETURN i.id AS id, count(x) AS records
