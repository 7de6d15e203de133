// Townships, duty lists and their items, organisations and legal-basis citations.

// name: upsert_townships
UNWIND $rows AS r
MERGE (t:Township {id: r.id})
SET t.name = r.name, t.code = r.code, t.kind = r.kind, t.county = r.county
// its lists carry its name (DutyList.township_name): kept in step here, where a township is named; a new name
// outdates the departments' kept overviews (ListEpoch), which show it
WITH t, r
MATCH (t)-[:HAS_LIST]->(l:DutyList)
WHERE l.township_name <> r.name
SET l.township_name = r.name
WITH count(l) AS renamed
WHERE renamed > 0
MERGE (e:ListEpoch {id: 'lists'})
SET e.n = coalesce(e.n, 0) + 1

// name: find_township
MATCH (t:Township)
WHERE t.id = $name OR t.name = $name
RETURN t.id AS id, t.name AS name, t.code AS code, t.kind AS kind

// name: list_state
MATCH (t:Township {id: $township_id})-[:HAS_LIST]->(l:DutyList)
RETURN l.id AS id, l.current AS current, l.date AS date, l.item_count AS item_count

// name: create_list
// The list carries its township's name (read by a department's pages without walking 4,200 lists to their
// townships); upsert_townships keeps it in step.
MATCH (t:Township {id: $township_id})
MERGE (l:DutyList {id: $id})
SET l.township_id = $township_id, l.township_name = t.name, l.date = $date, l.source = $source, l.current = false,
    l.loaded_at = $loaded_at, l.item_count = $item_count, l.item_roles = true
MERGE (t)-[:HAS_LIST]->(l)

// name: upsert_items
MATCH (l:DutyList {id: $list_id})
UNWIND $rows AS r
MERGE (i:DutyItem {id: r.id})
SET i.township_id = r.township_id, i.key = r.key, i.digest = r.digest, i.part = r.part, i.seq = r.seq,
    i.name = r.name, i.norm_name = r.norm_name, i.domain = r.domain, i.subdomain = r.subdomain,
    i.content = r.content, i.county_duty = r.county_duty, i.township_duty = r.township_duty,
    i.work_mode = r.work_mode, i.power_type = r.power_type, i.basis_raw = r.basis_raw,
    i.basis_status = r.basis_status, i.vague = r.vague, i.remark = r.remark, i.source_file = r.source_file,
    i.source_sheet = r.source_sheet, i.source_row = r.source_row, i.flags = r.flags, i.roles = r.roles,
    i.firstseen = coalesce(i.firstseen, $now), i.lastupdated = $now
MERGE (l)-[:HAS_ITEM]->(i)
MERGE (w:Wording {id: r.wording})
ON CREATE SET w.name = r.name, w.part = r.part, w.content = r.content
MERGE (i)-[:WORDED]->(w)

// name: upsert_departments
UNWIND $rows AS r
MERGE (d:Department {id: r.id})
SET d.name = r.name, d.aliases = r.aliases, d.kind = r.kind

// name: upsert_posts
UNWIND $rows AS r
MATCH (t:Township {id: r.township_id})
MERGE (p:Post {id: r.id})
SET p.name = r.name, p.township_id = r.township_id, p.kind = r.kind
MERGE (p)-[:POST_OF]->(t)

// name: upsert_agencies
UNWIND $rows AS r
MATCH (t:Township {id: r.township_id})
MERGE (a:Agency {id: r.id})
SET a.name = r.name, a.kind = r.kind, a.township_id = r.township_id
MERGE (a)-[:STATIONED_IN]->(t)
WITH a, r
MATCH (d:Department {id: r.dispatched_by})
MERGE (a)-[:DISPATCHED_BY]->(d)

// name: link_led_by_post
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item}), (p:Post {id: r.target})
MERGE (i)-[:LED_BY]->(p)

// name: link_led_by_department
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item}), (d:Department {id: r.target})
MERGE (i)-[:LED_BY]->(d)

// name: link_cooperated_by_post
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item}), (p:Post {id: r.target})
MERGE (i)-[:COOPERATED_BY]->(p)

// name: link_cooperated_by_department
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item}), (d:Department {id: r.target})
MERGE (i)-[:COOPERATED_BY]->(d)

// name: link_cooperated_by_agency
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item}), (a:Agency {id: r.target})
MERGE (i)-[:COOPERATED_BY]->(a)

// name: link_taken_back_by
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item}), (d:Department {id: r.target})
MERGE (i)-[t:TAKEN_BACK_BY]->(d)
SET t.work_mode = r.work_mode

// name: upsert_citations
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.item_id})
MERGE (c:Citation {id: r.id})
SET c.item_id = r.item_id, c.raw = r.raw, c.law_title = r.law_title, c.article = r.article,
    c.paragraph = r.paragraph, c.point = r.point, c.status = r.status, c.note = r.note,
    c.suggested = r.suggested, c.version_id = r.version_id
MERGE (i)-[:HAS_BASIS]->(c)

// name: link_citation_article
UNWIND $rows AS r
MATCH (c:Citation {id: r.id}), (x:Article {id: r.target})
MERGE (c)-[:REFERS_TO]->(x)

// name: link_citation_paragraph
UNWIND $rows AS r
MATCH (c:Citation {id: r.id}), (x:Paragraph {id: r.target})
MERGE (c)-[:REFERS_TO]->(x)

// name: link_citation_point
UNWIND $rows AS r
MATCH (c:Citation {id: r.id}), (x:Point {id: r.target})
MERGE (c)-[:REFERS_TO]->(x)

// name: link_citation_version
UNWIND $rows AS r
MATCH (c:Citation {id: r.id}), (x:LawVersion {id: r.target})
MERGE (c)-[:REFERS_TO]->(x)

// name: leftover_lists
// List versions that were never current and were loaded before $before: what a killed ingest left (a version
// still being written, loaded after $before, is left to its own ingest). Earlier versions once current are history.
MATCH (:Township)-[:HAS_LIST]->(l:DutyList)
WHERE l.current = false AND l.activated_at IS NULL AND l.loaded_at <= $before
RETURN l.id AS id

// name: delete_unshared_items_batch
MATCH (l:DutyList {id: $list_id})-[:HAS_ITEM]->(i:DutyItem)
WHERE l.activated_at IS NULL AND l.current = false
WITH i, size([(i)<-[:HAS_ITEM]-(o:DutyList) | o]) AS holders
WHERE holders = 1
WITH i LIMIT $limit
OPTIONAL MATCH (i)-[:HAS_BASIS]->(c:Citation)
WITH i, collect(c) AS cs
FOREACH (c IN cs | DETACH DELETE c)
DETACH DELETE i
RETURN count(*) AS deleted

// name: worded_count
// How many items carry a wording (each carries one), beside the store's label counts: both backends count a
// type's relationships from their counts, where finding the items without one scans them all (1.8 s at 10×, at
// every open).
MATCH ()-[r:WORDED]->()
RETURN count(r) AS n

// name: unnamed_lists
// Lists written before they carried their township's name (graph/store.py, upgrade): a scan of the lists only.
MATCH (l:DutyList)
WHERE l.township_name IS NULL
RETURN count(l) AS n

// name: lists_without_item_roles
// Lists written before their items carried their roles (graph/store.py, upgrade): a scan of the lists only.
MATCH (l:DutyList)
WHERE l.item_roles IS NULL
RETURN l.id AS id

// name: keep_item_roles
// One such list's items given their roles from their edges (the strings upsert_items writes), anchored on it.
MATCH (l:DutyList {id: $id})
SET l.item_roles = true
WITH l
MATCH (l)-[:HAS_ITEM]->(i:DutyItem)
WHERE i.roles IS NULL
// (computed in a WITH: FalkorDB does not evaluate a pattern comprehension inside SET)
WITH i, [(i)-[r:LED_BY|COOPERATED_BY|TAKEN_BACK_BY]->(x) | type(r) + '|' + labels(x)[0] + '|' + x.name] AS roles
SET i.roles = roles
RETURN count(i) AS n

// name: name_lists
MATCH (t:Township)-[:HAS_LIST]->(l:DutyList)
WHERE l.township_name IS NULL
SET l.township_name = t.name

// name: unworded_items
// One list's items written before wordings were (graph/store.py, upgrade): anchored on the list, so a graph is
// upgraded in one pass (a batch over all items scanned from the start again each time).
MATCH (:DutyList {id: $list_id})-[:HAS_ITEM]->(i:DutyItem)
WHERE NOT (i)-[:WORDED]->(:Wording)
RETURN i.id AS id, i.name AS name, i.part AS part, i.content AS content

// name: word_items
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.id})
MERGE (w:Wording {id: r.wording})
ON CREATE SET w.name = r.name, w.part = r.part, w.content = r.content
MERGE (i)-[:WORDED]->(w)

// name: delete_unworn_wordings
// Wordings no item carries any more (their items deleted with a list that was never current).
MATCH (w:Wording)
WHERE NOT (w)<-[:WORDED]-(:DutyItem)
DETACH DELETE w

// name: delete_list
MATCH (l:DutyList {id: $list_id})
WHERE l.activated_at IS NULL AND l.current = false
DETACH DELETE l

// name: current_lists
MATCH (:Township)-[:HAS_LIST]->(l:DutyList {current: true})
RETURN l.id AS id

// name: current_cited_items
MATCH (t:Township)-[:HAS_LIST]->(l:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WHERE i.basis_status = 'cited'
RETURN i.id AS id, i.name AS name, i.content AS content, i.township_duty AS township_duty,
       i.county_duty AS county_duty, i.basis_raw AS basis_raw, l.date AS date, t.name AS township

// name: delete_citations_of_items
UNWIND $rows AS r
MATCH (:DutyItem {id: r.id})-[:HAS_BASIS]->(c:Citation)
DETACH DELETE c

// name: current_ids
// Which list versions are current: what the delegation item index was built from (api/deps.py).
MATCH (l:DutyList {current: true})
RETURN collect(l.id) AS ids
