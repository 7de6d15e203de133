// After publication: handover plans of taken-back duties, the list's execution, two-way ratings.

// name: taken_back_items
// A township's current taken-back items with the department that takes each back (to match plan rows).
MATCH (t:Township {name: $township})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.part = 'taken_back'
RETURN i.id AS id, i.name AS name, [(i)-[:TAKEN_BACK_BY]->(d:Department) | d.name] AS departments

// name: upsert_plans
UNWIND $rows AS r
MERGE (h:HandoverPlan {id: r.id})
SET h.township = r.township, h.item_id = r.item_id, h.item_name = r.item_name, h.department = r.department,
    h.office = r.office, h.plan_date = r.plan_date, h.handover_date = r.handover_date, h.done_date = r.done_date,
    h.steps = r.steps, h.files = r.files, h.status = r.status, h.evidence = r.evidence, h.source = r.source,
    h.updated_at = r.updated_at, h.updated_by = r.updated_by

// name: plans
MATCH (h:HandoverPlan)
WHERE ($township IS NULL OR h.township = $township) AND ($department IS NULL OR h.department = $department)
RETURN h.id AS id, h.township AS township, h.item_id AS item_id, h.item_name AS item_name,
       h.department AS department, h.office AS office, h.plan_date AS plan_date, h.handover_date AS handover_date,
       h.done_date AS done_date, h.steps AS steps, h.files AS files, h.status AS status, h.evidence AS evidence,
       h.updated_at AS updated_at, h.updated_by AS updated_by
ORDER BY township, department, item_name

// name: plan
MATCH (h:HandoverPlan {id: $id})
RETURN h.id AS id, h.township AS township, h.department AS department, h.status AS status

// name: update_plan
// A department's update of its own plan, with its audit entry in the same statement.
MATCH (h:HandoverPlan {id: $id})
SET h.status = $status, h.handover_date = $handover_date, h.done_date = $done_date, h.files = $files,
    h.evidence = $evidence, h.updated_at = $at, h.updated_by = $who
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
RETURN h.id AS id

// name: pushed_tasks
// Tasks judged "taken back, pushed down": the township still receives a duty a department took back.
MATCH (k:Task {verdict: 'taken_back'})
WHERE $township IS NULL OR k.township = $township
OPTIONAL MATCH (k)-[m:MATCHES]->(i:DutyItem)
WITH k, i, m ORDER BY m.rank
WITH k, head(collect({id: i.id, name: i.name})) AS item
RETURN k.township AS township, k.sender AS sender, k.title AS title, k.text AS text, k.date AS date,
       item.id AS item_id, item.name AS item, k.evidence AS evidence
ORDER BY date DESC, township

// name: pushed_records
// 12345 / 吹哨 records of a taken-back duty sent to the township (wrong side).
MATCH (x:Record {route: 'wrong_side', part: 'taken_back'})
WHERE x.pending IS NULL AND ($township IS NULL OR x.township = $township)
OPTIONAL MATCH (x)-[:ROUTED_TO]->(i:DutyItem)
RETURN x.township AS township, x.time AS time, x.text AS text, x.sent_to AS sent_to, i.id AS item_id,
       i.name AS item, x.evidence AS evidence
ORDER BY time DESC, township

// name: item_use
// A township's current items with how often each was used in the period: records routed to it, tasks matched
// to it first, the records' closing hours and 回访 results; and its posts.
MATCH (t:Township {name: $township})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
OPTIONAL MATCH (x:Record)-[:ROUTED_TO]->(i)
WHERE x.pending IS NULL AND x.time STARTS WITH $period
WITH i, collect(x) AS recs
OPTIONAL MATCH (k:Task)-[m:MATCHES {rank: 1}]->(i)
WHERE k.date STARTS WITH $period AND NOT k.verdict IN ['off_list', 'uncertain']
WITH i, recs, count(k) AS tasks
RETURN i.id AS id, i.name AS name, i.part AS part, i.domain AS domain, size(recs) AS records, tasks,
       [x IN recs | x.closing_hours] AS closing_hours, [x IN recs | x.satisfaction] AS satisfaction,
       [(i)-[:LED_BY]->(p:Post) | p.name] AS posts
ORDER BY part, name

// name: upsert_ratings
UNWIND $rows AS r
MERGE (g:Rating {id: r.id})
SET g.township = r.township, g.target = r.target, g.target_kind = r.target_kind, g.period = r.period,
    g.reporting = r.reporting, g.cooperation = r.cooperation, g.comment = r.comment, g.created_at = r.created_at,
    g.rater = r.rater

// name: ratings
MATCH (g:Rating)
WHERE ($target IS NULL OR g.target = $target) AND ($period IS NULL OR g.period = $period)
RETURN g.id AS id, g.township AS township, g.target AS target, g.target_kind AS target_kind, g.period AS period,
       g.reporting AS reporting, g.cooperation AS cooperation, g.comment AS comment, g.created_at AS created_at,
       g.rater AS rater
ORDER BY target, township

// name: agencies
// The dispatched agencies stationed in a township (who it may rate as their host).
MATCH (a:Agency)-[:STATIONED_IN]->(:Township {name: $township})
RETURN a.name AS name

// name: department_response
// 报到 timeliness from the records: per receiving unit, how many records and the mean response hours.
MATCH (x:Record)
WHERE x.pending IS NULL AND x.sent_to IS NOT NULL AND x.sent_to <> '' AND ($period IS NULL OR x.time STARTS WITH $period)
RETURN x.sent_to AS unit, count(x) AS records, avg(x.response_hours) AS response_hours
ORDER BY unit
