// Basis suggestions: the provisions an item without a legal basis could rest on (services/suggest.py).

// name: fingerprint
// What the suggestion index was built from: the current law versions (their content hashes).
MATCH (v:LawVersion)
WHERE v.status = 'current'
RETURN v.id AS id, v.content_hash AS hash
ORDER BY id

// name: provisions
// Every article of every current law version, with what ranking needs to know of its law.
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
WHERE v.status = 'current'
WITH l, v
MATCH (v)-[:HAS_ARTICLE]->(a:Article)
RETURN a.id AS id, a.number AS number, a.label AS label, a.chapter AS chapter, a.text AS text,
       l.title AS law, l.short_title AS short_title, l.level AS level, l.region AS region,
       v.id AS version_id, v.date AS version_date

// name: article_parts
// The 款 and 项 of the articles a ranking shortlisted (one row per 款 or 项).
UNWIND $ids AS aid
MATCH (a:Article {id: aid})
WITH a
MATCH (a)-[:HAS_PARAGRAPH]->(p:Paragraph)
OPTIONAL MATCH (p)-[:HAS_POINT]->(pt:Point)
RETURN a.id AS article_id, p.id AS paragraph_id, p.number AS paragraph, p.text AS paragraph_text,
       pt.id AS point_id, pt.number AS point, pt.text AS point_text
ORDER BY article_id, paragraph, point

// name: item_text
// What an item says about itself, for ranking provisions against it, and whether it has a basis.
MATCH (i:DutyItem {id: $id})
WITH i
MATCH (t:Township)-[:HAS_LIST]->(l:DutyList)-[:HAS_ITEM]->(i)
WITH t, l, i ORDER BY l.current DESC, l.date DESC LIMIT 1
OPTIONAL MATCH (i)-[:LED_BY|TAKEN_BACK_BY]->(d:Department)
RETURN i.id AS id, i.name AS name, i.content AS content, i.township_duty AS township_duty, i.part AS part,
       i.domain AS domain, i.basis_status AS basis_status, coalesce(i.rejected, []) AS rejected,
       t.name AS township, l.date AS list_date, collect(DISTINCT d.name) AS departments

// name: items_without_basis
// The current items with no legal basis, of one township or ($township null) of all.
MATCH (t:Township)-[:HAS_LIST]->(l:DutyList)
WHERE l.current AND ($township IS NULL OR t.name = $township)
WITH t, l
MATCH (l)-[:HAS_ITEM]->(i:DutyItem)
WHERE i.basis_status = 'none'
OPTIONAL MATCH (i)-[:LED_BY|TAKEN_BACK_BY]->(d:Department)
WITH t, l, i, collect(DISTINCT d.name) AS departments
ORDER BY t.name, i.part, i.seq
RETURN i.id AS id, i.name AS name, i.content AS content, i.township_duty AS township_duty, i.part AS part,
       i.domain AS domain, t.name AS township, l.date AS list_date, departments

// name: duties_without_basis
// The same, one row per duty (name and part) however many townships list it, the most widely listed first: one of
// its items (the first by township name, then id), how many items of current lists it is and, for a duty three or
// fewer are, their townships' names.
// Grouped here, not in Python: 20,330 items at 10× are 218 duties, and shipping the items took 850 ms; sorting
// them and shipping every township's name for every duty took 86 ms of a 168 ms page.
MATCH (t:Township)-[:HAS_LIST]->(l:DutyList)
WHERE l.current AND ($township IS NULL OR t.name = $township)
WITH t, l
MATCH (l)-[:HAS_ITEM]->(i:DutyItem)
WHERE i.basis_status = 'none'
WITH i.name AS name, i.part AS part, min(t.name + '|' + i.id) AS first, count(*) AS n,
     collect(t.name)[0..4] AS some
WITH name, part, n, CASE WHEN n <= 3 THEN some ELSE [] END AS townships,
     split(first, '|')[size(split(first, '|')) - 1] AS first_id
MATCH (first:DutyItem {id: first_id})
OPTIONAL MATCH (first)-[:LED_BY|TAKEN_BACK_BY]->(d:Department)
WITH first, name, part, n, townships, collect(DISTINCT d.name) AS departments
ORDER BY n DESC, name, part
RETURN first.id AS id, name, first.content AS content, first.township_duty AS township_duty, part,
       first.domain AS domain, n AS n_townships, townships, departments

// name: target
// The provision a reviewer accepts, checked to exist: the article of that version, its 款 and 项 if given.
MATCH (v:LawVersion {id: $version_id})-[:HAS_ARTICLE]->(a:Article)
WHERE a.number = $article
OPTIONAL MATCH (a)-[:HAS_PARAGRAPH]->(p:Paragraph)
WHERE p.number = $paragraph
OPTIONAL MATCH (p)-[:HAS_POINT]->(pt:Point)
WHERE pt.number = $point
RETURN a.id AS article_id, p.id AS paragraph_id, pt.id AS point_id, v.law_id AS law_id, v.title AS law,
       a.label AS label
LIMIT 1

// name: accepted
// The suggestions reviewers accepted for one item (citations with status suggested-accepted).
MATCH (i:DutyItem {id: $id})-[:HAS_BASIS]->(c:Citation)
WHERE c.status = 'suggested-accepted'
RETURN c.id AS id, c.law_title AS law, c.article AS article, c.paragraph AS paragraph, c.point AS point,
       c.version_id AS version_id, c.decided_by AS decided_by, c.decided_at AS decided_at
ORDER BY decided_at

// name: accept
// An accepted suggestion becomes a citation of the item referring to the provision (the most precise of
// 项, 款, 条 given): it counts as a basis in orphans and impact, its status telling where it came from.
MATCH (i:DutyItem {id: $item_id})
MERGE (c:Citation {id: $id})
SET c.item_id = $item_id, c.raw = $raw, c.law_title = $law, c.article = $article, c.paragraph = $paragraph,
    c.point = $point, c.status = 'suggested-accepted', c.note = $note, c.version_id = $version_id,
    c.decided_by = $decided_by, c.decided_at = $decided_at
MERGE (i)-[:HAS_BASIS]->(c)
SET i.basis_status = CASE WHEN i.basis_status IN ['none', 'vague'] THEN 'suggested' ELSE i.basis_status END
WITH i, c
OPTIONAL MATCH (a:Article {id: $article_id})
WITH i, c, a
OPTIONAL MATCH (p:Paragraph {id: $paragraph_id})
WITH i, c, a, p
OPTIONAL MATCH (pt:Point {id: $point_id})
WITH i, c, coalesce(pt, p, a) AS x
FOREACH (_ IN CASE WHEN x IS NULL THEN [] ELSE [1] END | MERGE (c)-[:REFERS_TO]->(x))
RETURN c.id AS id, i.basis_status AS basis_status

// name: reject
// A rejected suggestion is remembered on the item (not as a citation: it is no basis) so it is not offered
// again; who and why are in the audit log.
MATCH (i:DutyItem {id: $item_id})
SET i.rejected = CASE WHEN $key IN coalesce(i.rejected, []) THEN i.rejected
                      ELSE coalesce(i.rejected, []) + [$key] END
RETURN size(i.rejected) AS rejected

// name: withdraw
// Rejecting a provision that was accepted withdraws the acceptance: its citation goes, and the item's basis status
// falls back to what its remaining citations give (another accepted one, a vague one, or none).
MATCH (i:DutyItem {id: $item_id})-[:HAS_BASIS]->(c:Citation {status: 'suggested-accepted'})
WHERE c.version_id = $version_id AND c.article = $article
DETACH DELETE c
WITH DISTINCT i
WITH i, size([(i)-[:HAS_BASIS]->(o:Citation) WHERE o.status = 'suggested-accepted' | o]) AS accepted,
     size([(i)-[:HAS_BASIS]->(o:Citation) | o]) AS cited
SET i.basis_status = CASE
      WHEN i.basis_status <> 'suggested' THEN i.basis_status
      WHEN accepted > 0 THEN 'suggested'
      WHEN cited > 0 THEN 'vague'
      ELSE 'none' END
RETURN count(i) AS withdrawn

// name: item_lists
// The current lists holding an item (their analytics follow a decision on its basis).
MATCH (i:DutyItem {id: $id})
WITH i
MATCH (l:DutyList)-[:HAS_ITEM]->(i)
WHERE l.current
RETURN l.id AS id

// name: same_duty
// The same duty (normalised name and part) on every township's current list: where one decision on its basis
// applies.
// Walked from the copies to their lists: written from the township's end, FalkorDB scanned every list and
// each of its items (350 ms at 100×, 2,100 copies; now 30 ms).
MATCH (i:DutyItem {id: $id})
WITH i
MATCH (j:DutyItem {norm_name: i.norm_name})
WHERE j.part = i.part
WITH j
MATCH (j)<-[:HAS_ITEM]-(l:DutyList)
WHERE l.current = true
WITH j, l
MATCH (l)<-[:HAS_LIST]-(t:Township)
RETURN DISTINCT j.id AS id, t.name AS township, j.basis_status AS basis_status
ORDER BY township
