// Substring search (portable; the full-text index is used through graph/dialect.py where it helps).

// name: items
// Through the wordings (one per distinct item text: 353 for the 70,656 items of the 10× graph), then out to the
// items of current lists that carry them: scanning every item's text was 280 ms at 100×.
MATCH (w:Wording)
WHERE w.name CONTAINS $q OR w.content CONTAINS $q
// (the WITH keeps FalkorDB's planner from starting at the current lists' index and walking every item)
WITH w
MATCH (w)<-[:WORDED]-(i:DutyItem)<-[:HAS_ITEM]-(l:DutyList)<-[:HAS_LIST]-(t:Township)
WHERE l.current = true
RETURN i.id AS id, w.name AS name, t.name AS township, w.part AS part, w.content AS text
LIMIT $limit

// name: item_groups
// The same, one row per duty (name and part) with the townships listing it, every term required: the search
// page's rows, grouped here rather than shipping up to 5,200 items (63 ms of the page at 10×).
MATCH (w:Wording)
WHERE (w.name CONTAINS $q OR w.content CONTAINS $q)
  AND all(x IN $terms WHERE w.name CONTAINS x OR coalesce(w.content, '') CONTAINS x)
WITH w
MATCH (w)<-[:WORDED]-(i:DutyItem)<-[:HAS_ITEM]-(l:DutyList)<-[:HAS_LIST]-(t:Township)
WHERE l.current = true
WITH w.name AS name, w.part AS part, collect({name: t.name, id: i.id}) AS townships, collect(w.content) AS texts
RETURN townships[0].id AS id, name, part, texts[0] AS text, townships

// name: laws
MATCH (l:Law)
WHERE l.title CONTAINS $q
RETURN l.id AS id, l.title AS name, l.status AS status
LIMIT $limit

// name: departments
MATCH (d:Department)
WHERE d.name CONTAINS $q OR any(a IN d.aliases WHERE a CONTAINS $q)
RETURN d.id AS id, d.name AS name
LIMIT $limit

// name: articles
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)-[:HAS_ARTICLE]->(a:Article)
WHERE v.status <> 'superseded' AND a.text CONTAINS $q
RETURN a.id AS id, l.title + ' ' + a.label AS name, l.short_title AS law, a.number AS number, a.text AS text
LIMIT $limit
