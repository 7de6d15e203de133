// A township's published list versions, and the items of one version (for diffs and change requests).

// name: versions
// Published versions only (current, or current once): a version an ingest never switched to is not one.
MATCH (:Township {id: $township_id})-[:HAS_LIST]->(l:DutyList)
WHERE l.current OR l.activated_at IS NOT NULL
RETURN l.id AS id, l.date AS date, l.source AS source, l.current AS current, l.activated_at AS activated_at,
       l.loaded_at AS loaded_at, l.item_count AS item_count, l.n_basic AS n_basic,
       l.n_cooperative AS n_cooperative, l.n_taken_back AS n_taken_back
ORDER BY date DESC, activated_at DESC

// name: version_items
MATCH (:DutyList {id: $list_id})-[:HAS_ITEM]->(i:DutyItem)
RETURN i.id AS id, i.key AS key, i.norm_name AS norm_name, i.part AS part, i.name AS name, i.name AS seq_key,
       i.content AS content, i.domain AS domain,
       [(i)-[:LED_BY|TAKEN_BACK_BY]->(ld) | ld.name] AS leads,
       [(i)-[:COOPERATED_BY]->(co) | co.name] AS cooperating,
       [(i)-[:HAS_BASIS]->(c:Citation) | c.raw] AS bases

// name: current_items
MATCH (:Township {id: $township_id})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
RETURN i.id AS id, i.part AS part, i.name AS name,
       [(i)-[:LED_BY|COOPERATED_BY|TAKEN_BACK_BY]->(d:Department) | d.name] AS departments

// name: link_items
UNWIND $rows AS r
MATCH (l:DutyList {id: $list_id}), (i:DutyItem {id: r.id})
MERGE (l)-[:HAS_ITEM]->(i)

// name: item_rows
// Items written back as list rows (the starting point of requests that reword them).
UNWIND $ids AS id
MATCH (i:DutyItem {id: id})
WITH i, [(i)-[:LED_BY]->(p:Post) | p.name] AS posts, [(i)-[:LED_BY]->(d:Department) | d.name] AS leads,
     [(i)-[:COOPERATED_BY]->(co) | co.name] AS coop, [(i)-[:TAKEN_BACK_BY]->(r:Department) | r.name] AS receivers
RETURN {part: i.part, name: i.name, domain: coalesce(i.domain, ''), content: coalesce(i.content, ''),
        post: reduce(s = '', x IN posts | s + CASE WHEN s = '' THEN '' ELSE '、' END + x),
        lead_dept: reduce(s = '', x IN leads | s + CASE WHEN s = '' THEN '' ELSE '、' END + x),
        cooperating: reduce(s = '', x IN coop | s + CASE WHEN s = '' THEN '' ELSE '、' END + x),
        receiver: reduce(s = '', x IN receivers | s + CASE WHEN s = '' THEN '' ELSE '、' END + x),
        basis: coalesce(i.basis_raw, ''), township_duty: coalesce(i.township_duty, ''),
        county_duty: coalesce(i.county_duty, ''), work_mode: coalesce(i.work_mode, '')} AS row, i.id AS id

// name: item_names
UNWIND $ids AS id
MATCH (i:DutyItem {id: id})
RETURN i.id AS id, i.name AS name, i.part AS part
