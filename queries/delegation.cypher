// 越单摊派: tasks sent to townships, their verdicts, and the supervisors' report.

// The matcher's index reads every current item in three flat statements joined in Python: two pattern
// comprehensions per row made one statement take 4.3 s at 10× (70,656 items) on FalkorDB, the three take 1.3 s.
// name: items
MATCH (t:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
RETURN i.id AS id, i.name AS name, i.part AS part, i.content AS content, i.township_duty AS township_duty,
       t.name AS township

// name: item_departments
MATCH (:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)-[:TAKEN_BACK_BY|LED_BY]->(d:Department)
RETURN i.id AS id, d.name AS department

// name: item_provisions
// the provisions an item cites (their text is read once per provision: townships cite the same ones)
MATCH (:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)-[:HAS_BASIS]->(:Citation)-[:REFERS_TO]->(x)
WHERE x.text IS NOT NULL
RETURN i.id AS id, x.id AS provision

// name: cited_provision_text
MATCH (:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(:DutyItem)-[:HAS_BASIS]->(:Citation)-[:REFERS_TO]->(x)
WHERE x.text IS NOT NULL
RETURN DISTINCT x.id AS id, x.text AS text

// name: upsert_senders
UNWIND $rows AS r
MERGE (d:Department {id: r.id})
ON CREATE SET d.name = r.name, d.aliases = r.aliases, d.kind = r.kind

// name: upsert_tasks
UNWIND $rows AS r
MERGE (t:Task {id: r.id})
// a verdict a supervisor recorded stays when the same task is checked again
SET t.title = r.title, t.text = r.text, t.sender = r.sender, t.date = r.date, t.deadline = r.deadline,
    t.verdict = CASE WHEN t.reviewer IS NULL THEN r.verdict ELSE t.verdict END, t.score = r.score, t.evidence = r.evidence, t.township = r.township

// name: link_tasks
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
UNWIND $rows AS r
MATCH (t:Task {id: r.task}), (d:Department {id: r.sender}), (w:Township {id: r.township})
MERGE (t)-[:SENT_BY]->(d)
MERGE (t)-[:SENT_TO]->(w)

// name: link_matches
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
UNWIND $rows AS r
MATCH (t:Task {id: r.task}), (i:DutyItem {id: r.item})
MERGE (t)-[m:MATCHES]->(i)
SET m.score = r.score, m.rank = r.rank

// name: report
MATCH (t:Task)-[:SENT_BY]->(d:Department)
WHERE ($department IS NULL OR d.id = $department OR d.name = $department OR $department IN d.aliases)
  AND ($from IS NULL OR t.date >= $from) AND ($to IS NULL OR t.date <= $to)
RETURN t.id AS id, t.title AS title, t.text AS text, d.name AS sender, d.kind AS sender_kind, t.township AS township,
       t.date AS date, t.verdict AS verdict, t.score AS score, t.evidence AS evidence, t.reviewer AS reviewer,
       [(t)-[m:MATCHES]->(i:DutyItem) | {name: i.name, part: i.part, score: m.score, rank: m.rank}] AS matches
ORDER BY date DESC, sender, title

// name: waiting
// The 待人工判断 queue: tasks the matcher could not decide, oldest first, with their candidate items.
MATCH (t:Task {verdict: 'uncertain'})
RETURN t.id AS id, t.title AS title, t.text AS text, t.sender AS sender, t.township AS township, t.date AS date,
       t.evidence AS evidence,
       [(t)-[m:MATCHES]->(i:DutyItem) | {item_id: i.id, name: i.name, part: i.part, score: m.score, rank: m.rank}]
         AS matches
ORDER BY date, sender, title
LIMIT $limit

// name: decide
// The supervisor's verdict on an uncertain task, compare-and-set (the lock is taken before the verdict is read,
// as in requests.set_status) with its audit entry in the same statement; the matcher's verdict is kept.
MATCH (t:Task {id: $id})
SET t.lock = coalesce(t.lock, 0) + 1
WITH t
WHERE t.verdict = 'uncertain'
SET t.auto_verdict = t.verdict, t.verdict = $verdict, t.reviewer = $reviewer, t.reviewed_at = $at, t.note = $note
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
RETURN t.id AS id
