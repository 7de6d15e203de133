// Responsibility of one item, and who does what (departments, townships, posts).

// name: item
// The whole item page in one statement: the item in the version that serves it (the current one, else the
// latest once-current version), who leads and cooperates, and each citation with what it resolved to.
// Each pattern comprehension needs its own variable: FalkorDB 4.16 returns [] for a second one reusing x.
MATCH (i:DutyItem {id: $id})
WITH i
MATCH (t:Township)-[:HAS_LIST]->(l:DutyList)-[:HAS_ITEM]->(i)
WHERE l.current OR l.activated_at IS NOT NULL
WITH t, l, i
ORDER BY l.current DESC, l.date DESC
LIMIT 1
// (FalkorDB 4.16 fails "No record was given to locate a value with alias c" on an OPTIONAL MATCH keyed on a
// property of a null c unless a WITH comes between them)
OPTIONAL MATCH (i)-[:HAS_BASIS]->(c:Citation)
WITH t, l, i, c
OPTIONAL MATCH (c)-[:REFERS_TO]->(x)
WITH t, l, i, c, x
OPTIONAL MATCH (v:LawVersion {id: c.version_id})
WITH t, l, i, c, x, v
OPTIONAL MATCH (s:Article {id: c.suggested})
WITH t, l, i, c, x, v, s
OPTIONAL MATCH (a:Article {id: split(x.id, '.')[0]})
WITH t, l, i, c, x, v, s, a
ORDER BY c.id
WITH t, l, i,
     collect(CASE WHEN c IS NULL THEN NULL ELSE {
       id: c.id, raw: c.raw, status: c.status, note: c.note, law: c.law_title, article: c.article,
       paragraph: c.paragraph, point: c.point, target_label: labels(x)[0], target_id: x.id, target_text: x.text,
       version_date: v.date, version_status: v.status, version_id: v.id, law_id: v.law_id,
       article_label: a.label, article_text: a.text,
       suggested_id: s.id, suggested_label: s.label, suggested_text: s.text} END) AS basis
RETURN i AS item, t.name AS township, l.date AS list_date, l.current AS current, basis,
       [(i)-[:LED_BY]->(ld) | {id: ld.id, name: ld.name, label: labels(ld)[0]}] AS leads,
       [(i)-[:COOPERATED_BY]->(co) | {id: co.id, name: co.name, label: labels(co)[0]}] AS cooperating,
       [(i)-[r:TAKEN_BACK_BY]->(d) | {id: d.id, name: d.name, label: 'Department', work_mode: r.work_mode}]
         AS taken_back_by

// name: find_department
MATCH (d:Department)
WHERE d.id = $name OR d.name = $name OR $name IN d.aliases
RETURN d.id AS id, d.name AS name, d.aliases AS aliases, d.kind AS kind
LIMIT 1

// name: department_items
// One page of a department's items, over the (role, list) segments the page spans (chosen from the materialised
// INVOLVES counts): only those lists' items are read, not every item the department touches in the province.
// The department is bound first, so each item's edge to it is checked, not every edge of every item walked
// (25 → 5 ms for a page over 26 lists at 100×).
MATCH (d:Department {id: $id})
WITH d
UNWIND $segments AS seg
MATCH (l:DutyList {id: seg.list})
WITH d, l, seg
MATCH (l)-[:HAS_ITEM]->(i:DutyItem)
WITH d, l, seg, i
MATCH (i)-[r]->(d)
WHERE type(r) = seg.role
RETURN type(r) AS role, i.id AS id, i.name AS name, i.part AS part, i.domain AS domain, l.township_name AS township
ORDER BY role, township, name
SKIP $skip LIMIT $limit

// name: department_items_from_department
// The same page read from the department's side: cheaper when the page spans many lists holding few of the
// department's items each (市统计局: one item in each of 210 lists). $keys: "role|list id" of the segments.
MATCH (d:Department {id: $id})<-[r:LED_BY|COOPERATED_BY|TAKEN_BACK_BY]-(i:DutyItem)
WITH i, r
MATCH (l:DutyList)-[:HAS_ITEM]->(i)
WHERE (type(r) + '|' + l.id) IN $keys
RETURN type(r) AS role, i.id AS id, i.name AS name, i.part AS part, i.domain AS domain, l.township_name AS township
ORDER BY role, township, name
SKIP $skip LIMIT $limit

// name: department_agencies
// The agencies it dispatches: all of them ($towns null, the first $limit by name) or those stationed in the
// townships of one page ($towns). At 100× a department has 4,200: the answer carries the first and their number.
// (Ordered by the agency's name, which starts with its township's, before walking to the township: walking
// every agency's first took 13 ms.)
MATCH (d:Department {id: $id})
WITH d
MATCH (a:Agency)-[:DISPATCHED_BY]->(d)
WITH a ORDER BY a.name
WITH collect(a) AS agencies
UNWIND (CASE WHEN $towns IS NULL THEN agencies[0..$limit] ELSE agencies END) AS a
MATCH (a)-[:STATIONED_IN]->(t:Township)
WHERE $towns IS NULL OR t.name IN $towns
RETURN size(agencies) AS total, collect({id: a.id, name: a.name, township: t.name}) AS rows

// name: find_township
MATCH (t:Township)
WHERE t.id = $name OR t.name = $name
OPTIONAL MATCH (t)-[:HAS_LIST]->(l:DutyList {current: true})
RETURN t.id AS id, t.name AS name, t.code AS code, t.kind AS kind, l.id AS list_id, l.date AS list_date
LIMIT 1

// name: township_counts
MATCH (:Township {id: $id})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
RETURN i.part AS part, i.domain AS domain, count(i) AS n
ORDER BY part, n DESC, domain

// name: township_post_counts
MATCH (:Township {id: $id})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
MATCH (i)-[r:LED_BY|COOPERATED_BY]->(p:Post)
RETURN p.name AS post, type(r) AS role, count(i) AS n
ORDER BY post, role

// name: township_items
MATCH (:Township {id: $id})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE $part IS NULL OR i.part = $part
RETURN i.id AS id, i.name AS name, i.part AS part, i.domain AS domain, i.basis_status AS basis_status,
       [(i)-[:LED_BY]->(x) | x.name] AS leads
ORDER BY part, i.source_row
SKIP $offset LIMIT $limit

// name: township_items_count
MATCH (:Township {id: $id})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE $part IS NULL OR i.part = $part
RETURN count(i) AS total

// name: post_items
MATCH (p:Post {id: $post_id})<-[r:LED_BY|COOPERATED_BY]-(i:DutyItem)<-[:HAS_ITEM]-(:DutyList {current: true})
RETURN type(r) AS role, i.id AS id, i.name AS name, i.part AS part, i.domain AS domain, i.content AS content
ORDER BY role, part, name

// name: consistency
// One pass, aggregated per normalised name. A lead department or basis is inconsistent when some township
// of the duty lacks it (gaps = missing township–value pairs). 714k items: 6.7 s; the sample: 0.1 s.
MATCH (t:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
OPTIONAL MATCH (i)-[:LED_BY|TAKEN_BACK_BY]->(d:Department)
OPTIONAL MATCH (i)-[:HAS_BASIS]->(c:Citation)
WITH i.norm_name AS key, count(DISTINCT t) AS towns, min(i.name) AS name, collect(DISTINCT i.part) AS parts,
     collect(DISTINCT d.name) AS departments, count(DISTINCT t.name + '|' + d.name) AS dept_pairs,
     collect(DISTINCT c.law_title + ' ' + toString(c.article)) AS bases,
     count(DISTINCT t.name + '|' + c.law_title + ' ' + toString(c.article)) AS basis_pairs
WITH key, towns, name, parts, departments, bases,
     towns * size(departments) - dept_pairs AS dept_gaps, towns * size(bases) - basis_pairs AS basis_gaps
WITH key, towns, name, parts, departments, bases, dept_gaps + basis_gaps AS gaps,
     size(parts) - 1 + CASE WHEN dept_gaps > 0 THEN 1 ELSE 0 END + CASE WHEN basis_gaps > 0 THEN 1 ELSE 0 END
       AS spread
WHERE towns >= $min_townships AND spread > 0
RETURN key, name, towns, spread, gaps, parts, departments, bases
ORDER BY spread DESC, gaps DESC, towns DESC, name

// name: consistency_variants
UNWIND $keys AS key
MATCH (i:DutyItem {norm_name: key})
MATCH (t:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i)
RETURN key, t.name AS township, i.part AS part,
       [(i)-[:LED_BY|TAKEN_BACK_BY]->(d:Department) | d.name] AS departments,
       [(i)-[:HAS_BASIS]->(c:Citation) | c.law_title + ' ' + toString(c.article)] AS bases
ORDER BY key, township
