// Orphaned duties computed live, one count per kind: the reference `dutygraph analytics --check` compares the
// materialised counts with (the API reads those: ingest/analytics.py). $township NULL means every township.
// Each starts from the townships and passes them on with WITH, so the planner anchors there.

// name: no_basis_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.basis_status = 'none'
RETURN count(i) AS total

// name: vague_basis_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.basis_status = 'vague'
RETURN count(i) AS total

// name: unresolved_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)-[:HAS_BASIS]->(c:Citation)
WHERE c.status IN ['unresolved', 'unknown_law']
RETURN count(DISTINCT i) AS total

// name: superseded_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)-[:HAS_BASIS]->(c:Citation)
OPTIONAL MATCH (v:LawVersion {id: c.version_id})
WITH t, i, c, v
WHERE (c.status = 'suspicious' OR v.status IN ['superseded', 'repealed'])
RETURN count(DISTINCT i) AS total

// name: no_lead_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.part = 'basic' AND NOT (i)-[:LED_BY]->()
RETURN count(i) AS total

// name: no_lead_department_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.part = 'cooperative'
  AND NOT (i)-[:LED_BY]->(:Department)
RETURN count(i) AS total

// name: no_receiver_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.part = 'taken_back'
  AND NOT (i)-[:TAKEN_BACK_BY]->(:Department)
RETURN count(i) AS total

// name: lead_violations_count
MATCH (t:Township)
WHERE $township IS NULL OR t.name = $township
WITH t
MATCH (t)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.part IN ['basic', 'cooperative']
WITH i, size([(i)-[:LED_BY]->(x) | x]) AS leads
WHERE leads <> 1
RETURN count(i) AS total

// name: statutory_provisions
// Paragraphs of current law versions that place a duty on townships: marked on the version when it is written
// (graph/rules.py, TOWNSHIP_DUTY).
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion {status: 'current'})
WHERE size(v.township_paragraphs) > 0
UNWIND v.township_paragraphs AS pid
MATCH (p:Paragraph {id: pid})
MATCH (a:Article)-[:HAS_PARAGRAPH]->(p)
RETURN a.id AS article_id, p.id AS id, l.title AS law, a.label AS label, p.number AS paragraph, p.text AS text
ORDER BY law, a.number, paragraph

