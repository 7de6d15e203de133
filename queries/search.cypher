// Substring search (portable; the full-text index is used through graph/dialect.py where it helps).

// name: items
MATCH (t:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.name CONTAINS $q OR i.content CONTAINS $q
RETURN i.id AS id, i.name AS name, t.name AS township, i.part AS part, i.content AS text
LIMIT $limit

// name: item_groups
// The same, one row per duty (name and part) with the townships listing it, every term required: the search
// page's rows, grouped here rather than shipping up to 5,200 items (63 ms of the page at 10×).
MATCH (t:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE (i.name CONTAINS $q OR i.content CONTAINS $q)
  AND all(x IN $terms WHERE i.name CONTAINS x OR coalesce(i.content, '') CONTAINS x)
WITH i.name AS name, i.part AS part, collect({name: t.name, id: i.id}) AS townships, collect(i.content) AS texts
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
