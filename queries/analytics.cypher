// Analytics materialised when lists or laws change (ingest/analytics.py), read by services/duties.py.

// name: list_facts
// What the analytics need of each item of one list version.
MATCH (:DutyList {id: $list_id})-[:HAS_ITEM]->(i:DutyItem)
RETURN i.id AS id, i.norm_name AS norm_name, i.name AS name, i.part AS part, i.basis_status AS basis_status,
       [(i)-[:LED_BY]->(ld) | labels(ld)[0]] AS leads,
       [(i)-[r:LED_BY|COOPERATED_BY|TAKEN_BACK_BY]->(d:Department) | [type(r), d.id]] AS departments,
       [(i)-[:HAS_BASIS]->(c:Citation) | [c.status, c.version_id, c.law_title, c.article]] AS cites

// name: list_cited
MATCH (:DutyList {id: $list_id})-[:HAS_ITEM]->(:DutyItem)-[:HAS_BASIS]->(:Citation)-[:REFERS_TO]->(x)
RETURN DISTINCT x.id AS id

// name: all_lists
MATCH (:Township)-[:HAS_LIST]->(l:DutyList)
RETURN l.id AS id, l.current AS current

// name: set_item_flags
UNWIND $rows AS r
MATCH (i:DutyItem {id: r.id})
SET i.flags = r.flags

// name: set_list_counts
MATCH (l:DutyList {id: $id})
SET l += $counts, l.cited = $cited

// name: clear_involvement
MATCH (:DutyList {id: $id})-[r:INVOLVES]->(:Department)
DELETE r

// name: set_involvement
UNWIND $rows AS r
MATCH (l:DutyList {id: $id}), (d:Department {id: r.department})
CREATE (l)-[:INVOLVES {role: r.role, n: r.n}]->(d)

// name: bump_lists_epoch_if_current
// The departments of a current list written again (the analytics refreshed after a law change).
MATCH (l:DutyList {id: $id})
WHERE l.current = true
MERGE (e:ListEpoch {id: 'lists'})
SET e.n = coalesce(e.n, 0) + 1

// name: lists_epoch
OPTIONAL MATCH (e:ListEpoch {id: 'lists'})
RETURN coalesce(e.n, 0) AS n

// name: outdated_overviews
// Departments whose kept overview does not describe the current lists (ingest/analytics.py refreshes them).
OPTIONAL MATCH (e:ListEpoch {id: 'lists'})
WITH coalesce(e.n, 0) AS epoch
MATCH (d:Department)
WHERE d.overview_epoch IS NULL OR d.overview_epoch <> epoch
RETURN d.id AS id

// name: set_department_overview
// Kept with the epoch read before it was computed: a switch in between leaves it outdated, never wrong.
MATCH (d:Department {id: $id})
SET d.overview_epoch = $epoch, d.overview_townships = $townships, d.overview_sums = $sums,
    d.overview_rows = $rows, d.overview_heads = $heads

// name: fresh_overviews
// Every department's kept overview that describes the current lists (`dutygraph analytics check` compares them
// with the statement).
OPTIONAL MATCH (e:ListEpoch {id: 'lists'})
WITH coalesce(e.n, 0) AS epoch
MATCH (d:Department)
WHERE d.overview_epoch = epoch
RETURN d.id AS id, d.overview_townships AS townships, d.overview_sums AS sums, d.overview_rows AS rows,
       d.overview_heads AS heads
ORDER BY id

// name: department_overview_kept
// A department's kept overview and whether it describes the current lists (services/duties.py).
MATCH (d:Department {id: $id})
OPTIONAL MATCH (e:ListEpoch {id: 'lists'})
RETURN coalesce(d.overview_epoch = coalesce(e.n, 0), false) AS fresh, d.overview_townships AS townships,
       d.overview_sums AS sums, d.overview_rows AS rows, d.overview_heads AS heads

// name: delete_tallies_batch
MATCH (x)
WHERE x:Tally OR x:DutyKey
WITH x LIMIT $limit
DETACH DELETE x
RETURN count(*) AS deleted

// name: apply
// The one statement of a switch: the guard (for each township, the list current now is the one its tallies
// were computed against, or the whole switch is refused), the tally changes, the summaries of the names they
// touch, and the switches themselves. A reader sees either the old lists with the old analytics or the new
// with the new. $switches [{township_id, list_id, previous}] holds one township for a single list, several
// for a batch ingest (one statement moves their summed tallies), none for the full rebuild.
UNWIND (CASE WHEN size($switches) = 0 THEN [null] ELSE $switches END) AS s
OPTIONAL MATCH (t:Township {id: s.township_id})
OPTIONAL MATCH (t)-[:HAS_LIST]->(c:DutyList {current: true})
WITH s, collect(c.id) AS cur
WITH collect(s IS NULL OR cur = s.previous) AS guards
// every aggregation below groups by `guards`: a refused switch leaves no row, not one row of zero counts
WITH guards WHERE all(g IN guards WHERE g)
// the lists change here: every department's kept overview is outdated from this statement on (ListEpoch)
MERGE (e:ListEpoch {id: 'lists'})
SET e.n = coalesce(e.n, 0) + 1
WITH guards
UNWIND (CASE WHEN size($tallies) = 0 THEN [null] ELSE $tallies END) AS d
FOREACH (_ IN CASE WHEN d IS NULL THEN [] ELSE [1] END |
  MERGE (k:DutyKey {key: d.key})
  MERGE (x:Tally {id: d.id})
  ON CREATE SET x.key = d.key, x.dim = d.dim, x.value = d.value, x.n = 0
  SET x.n = x.n + d.n
  MERGE (k)-[:HAS_TALLY]->(x))
WITH guards, count(d) AS tallied
UNWIND (CASE WHEN size($keys) = 0 THEN [null] ELSE $keys END) AS key
OPTIONAL MATCH (k:DutyKey {key: key})
WITH guards, tallied, k, [(k)-[:HAS_TALLY]->(x:Tally) WHERE x.n > 0 | x] AS xs
WITH guards, tallied, k,
     reduce(s = 0, x IN xs | s + CASE WHEN x.dim = 'town' THEN x.n ELSE 0 END) AS towns,
     [x IN xs WHERE x.dim = 'part' | x.value] AS parts,
     [x IN xs WHERE x.dim = 'dept' | x.value] AS departments,
     reduce(s = 0, x IN xs | s + CASE WHEN x.dim = 'dept' THEN x.n ELSE 0 END) AS dept_pairs,
     [x IN xs WHERE x.dim = 'basis' | x.value] AS bases,
     reduce(s = 0, x IN xs | s + CASE WHEN x.dim = 'basis' THEN x.n ELSE 0 END) AS basis_pairs,
     reduce(m = '', x IN xs | CASE WHEN x.dim = 'name' AND (m = '' OR x.value < m) THEN x.value ELSE m END)
       AS name
WITH guards, tallied, k, towns, parts, departments, bases, name,
     towns * size(departments) - dept_pairs AS dept_gaps, towns * size(bases) - basis_pairs AS basis_gaps
FOREACH (_ IN CASE WHEN k IS NULL THEN [] ELSE [1] END |
  SET k.towns = towns, k.parts = parts, k.departments = departments, k.bases = bases, k.name = name,
      k.gaps = dept_gaps + basis_gaps,
      k.spread = CASE WHEN size(parts) > 1 THEN size(parts) - 1 ELSE 0 END
                 + CASE WHEN dept_gaps > 0 THEN 1 ELSE 0 END + CASE WHEN basis_gaps > 0 THEN 1 ELSE 0 END)
WITH guards, tallied, count(k) AS keyed
UNWIND (CASE WHEN size($switches) = 0 THEN [null] ELSE $switches END) AS s
OPTIONAL MATCH (:Township {id: s.township_id})-[:HAS_LIST]->(l:DutyList)
FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END |
  SET l.current = (l.id = s.list_id),
      l.activated_at = CASE WHEN l.id = s.list_id THEN coalesce(l.activated_at, $now) ELSE l.activated_at END)
RETURN tallied, keyed, sum(CASE WHEN l.current THEN 1 ELSE 0 END) AS current

// name: current_counts
// The materialised counts of the current lists, with their townships (`dutygraph analytics` checks them against
// the same questions computed live), starting from the index on DutyList.current.
MATCH (l:DutyList {current: true})
WITH l
MATCH (t:Township)-[:HAS_LIST]->(l)
// the counts only (a whole node would carry `cited`, hundreds of ids per list: 200 ms for 210 lists)
RETURN t.id AS township_id, t.name AS township, t.code AS code, t.kind AS kind, l.id AS list_id,
       l.date AS list_date,
       l {.n_no_basis, .n_vague_basis, .n_unresolved, .n_superseded, .n_no_lead, .n_no_lead_department,
          .n_no_receiver, .n_lead_violation, .n_basic, .n_cooperative, .n_taken_back} AS list
ORDER BY township

// name: current_flag_totals
// The province's orphan counts: one row of sums (reading the 2,100 lists' counts into Python took 80–130 ms
// at 100×, this 3 ms). FalkorDB sums as floats: the service casts.
MATCH (l:DutyList {current: true})
RETURN sum(l.n_no_basis) AS no_basis, sum(l.n_vague_basis) AS vague_basis, sum(l.n_unresolved) AS unresolved,
       sum(l.n_superseded) AS superseded, sum(l.n_no_lead) AS no_lead,
       sum(l.n_no_lead_department) AS no_lead_department, sum(l.n_no_receiver) AS no_receiver

// name: current_flag_counts
// One flag's count (an orphan kind, or lead_violation) per current list that has any, in township order, as "list id|n" strings (one value per
// list instead of a row of 17: the orphans page of one kind at 100× reads 2,100 of them).
MATCH (l:DutyList {current: true})
WITH l, CASE $kind WHEN 'no_basis' THEN l.n_no_basis WHEN 'vague_basis' THEN l.n_vague_basis
          WHEN 'unresolved' THEN l.n_unresolved WHEN 'superseded' THEN l.n_superseded WHEN 'no_lead' THEN l.n_no_lead
          WHEN 'no_lead_department' THEN l.n_no_lead_department WHEN 'no_receiver' THEN l.n_no_receiver
          WHEN 'lead_violation' THEN l.n_lead_violation END AS n
WHERE n > 0
MATCH (t:Township)-[:HAS_LIST]->(l)
WITH t.name AS township, l.id AS list_id, n
ORDER BY township
RETURN collect(list_id + '|' + toString(n)) AS lists

// name: current_counts_of_township
// The same for one township, anchored on it (the query above reads every current list first).
MATCH (t:Township {name: $township})-[:HAS_LIST]->(l:DutyList {current: true})
RETURN t.id AS township_id, t.name AS township, t.code AS code, t.kind AS kind, l.id AS list_id,
       l.date AS list_date,
       l {.n_no_basis, .n_vague_basis, .n_unresolved, .n_superseded, .n_no_lead, .n_no_lead_department,
          .n_no_receiver, .n_lead_violation, .n_basic, .n_cooperative, .n_taken_back} AS list

// name: current_cited
// What the current lists cite, once: 48,490 ids over 274 distinct at 10×; shipping every list's array took
// 123 ms, this 16 ms.
MATCH (l:DutyList {current: true})
UNWIND l.cited AS c
RETURN collect(DISTINCT c) AS cited

// name: current_cited_of_township
MATCH (:Township {name: $township})-[:HAS_LIST]->(l:DutyList {current: true})
RETURN l.cited AS cited

// name: townships
MATCH (t:Township)
RETURN t.name AS name, t.code AS code, t.kind AS kind

// name: township_overview
// Every township with its current list's date and part counts, one "code|kind|date|basic|cooperative|taken
// back|name" string each (the name last: it may hold anything). 2,100 rows of seven values and the list rows
// beside them took 200 ms at 100×.
MATCH (t:Township)
OPTIONAL MATCH (t)-[:HAS_LIST]->(l:DutyList {current: true})
RETURN collect(coalesce(t.code, '') + '|' + coalesce(t.kind, '') + '|' + coalesce(l.date, '') + '|'
               + toString(coalesce(l.n_basic, 0)) + '|' + toString(coalesce(l.n_cooperative, 0)) + '|'
               + toString(coalesce(l.n_taken_back, 0)) + '|' + t.name) AS rows

// name: consistency
MATCH (k:DutyKey)
WHERE k.spread > 0 AND k.towns >= $min_townships
RETURN k.key AS key, k.name AS name, k.towns AS towns, k.spread AS spread, k.gaps AS gaps, k.parts AS parts,
       k.departments AS departments, k.bases AS bases
ORDER BY spread DESC, gaps DESC, towns DESC, name
SKIP $offset LIMIT $limit

// name: consistency_count
MATCH (k:DutyKey)
WHERE k.spread > 0 AND k.towns >= $min_townships
RETURN count(k) AS total

// name: department_overview
// A department over the current lists, in one pass over its INVOLVES counts (three statements over them took
// 21–31 ms at 100×, this one 13–19): its number of townships (one current list each); its items summed per
// role (COOPERATED_BY, LED_BY, TAKEN_BACK_BY); its first $town_upto (role, township, list, n) rows in township
// order (a page of townships ending at k needs at most 3k: three roles a township); and the first $upto rows in
// page order (role, township), of $role only if given: enough to place a page of items ending at $upto, each
// row holding at least one item. The township's name is read from the list (DutyList.township_name, written
// with it): walking 4,200 lists to their townships was half of the earlier statement. The 4,200 rows are never
// returned whole (building and reading them as strings was 20 ms).
MATCH (d:Department {id: $id})
WITH d
MATCH (d)<-[r:INVOLVES]-(l:DutyList)
WHERE l.current = true AND r.n > 0
WITH r.role AS role, l.township_name AS township, l.id AS list, r.n AS n
ORDER BY township, role
WITH collect([role, township, list, n]) AS rows, count(DISTINCT township) AS townships
WITH rows, townships, [x IN rows WHERE x[0] = 'COOPERATED_BY'] AS cooperated,
     [x IN rows WHERE x[0] = 'LED_BY'] AS led, [x IN rows WHERE x[0] = 'TAKEN_BACK_BY'] AS taken_back
RETURN townships,
       [reduce(s = 0, x IN cooperated | s + x[3]), reduce(s = 0, x IN led | s + x[3]),
        reduce(s = 0, x IN taken_back | s + x[3])] AS sums,
       rows[0..$town_upto] AS township_rows,
       [x IN cooperated + led + taken_back WHERE $role IS NULL OR x[0] = $role][0..$upto] AS segments

// name: orphan_page
// One page of one kind's orphans, over the lists the page spans (chosen from the materialised counts).
// (anchored on the lists: otherwise FalkorDB scans every DutyItem for the flag)
UNWIND $lists AS lid
MATCH (l:DutyList {id: lid})
WITH l
MATCH (l)-[:HAS_ITEM]->(i:DutyItem)
WHERE $kind IN i.flags
WITH l, i
MATCH (t:Township)-[:HAS_LIST]->(l)
RETURN i.id AS id, i.name AS name, t.name AS township, i.part AS part, i.basis_raw AS basis_raw,
       size([(i)-[:LED_BY]->(ld) | ld]) AS leads,
       [(i)-[:HAS_BASIS]->(c:Citation) | [c.raw, c.note, c.status, c.version_id]] AS cites
ORDER BY township, part, name
SKIP $skip LIMIT $limit
