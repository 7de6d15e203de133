// Compiling a first list: the raw sweep, the draft rounds (三上三下) and their comments.

// name: reference
// Every township's current items: how the county's published lists name, classify and place duties.
MATCH (t:Township)-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
RETURN t.name AS township, i.id AS id, i.name AS name, i.part AS part, i.domain AS domain, i.content AS content,
       i.basis_raw AS basis, [(i)-[:LED_BY|TAKEN_BACK_BY]->(x) | x.name] AS leads
ORDER BY township, id

// name: upsert_entries
UNWIND $rows AS r
MERGE (e:SweepEntry {id: r.id})
ON CREATE SET e.township = r.township, e.seq = r.seq, e.text = r.text, e.source = r.source, e.post = r.post,
              e.reporter = r.reporter, e.date = r.date, e.file = r.file, e.sheet = r.sheet, e.row = r.row,
              e.loaded_at = r.loaded_at

// name: entries
MATCH (e:SweepEntry {township: $township})
RETURN e.id AS id, e.township AS township, e.seq AS seq, e.text AS text, e.source AS source, e.post AS post,
       e.reporter AS reporter, e.date AS date, e.file AS file, e.sheet AS sheet, e.row AS row
ORDER BY file, sheet, row, id

// name: townships
// Townships with a sweep: their entries and their latest round.
MATCH (e:SweepEntry)
WITH e.township AS township, count(e) AS entries
OPTIONAL MATCH (d:DraftRound {township: township})
WITH township, entries, max(d.round) AS rounds
RETURN township, entries, coalesce(rounds, 0) AS rounds
ORDER BY township

// name: create_round
// Round ids are township#round: of two people making the same round at once, MERGE lets one create it; the
// caller learns which from `created`.
MERGE (d:DraftRound {id: $id})
ON CREATE SET d.township = $township, d.round = $round, d.items = $items, d.set_aside = $set_aside,
              d.status = 'open', d.created_at = $at, d.created_by = $who, d.note = $note
RETURN d.created_at = $at AND d.created_by = $who AS created

// name: close_round
MATCH (o:DraftRound {township: $township, round: $round, status: 'open'})
SET o.status = 'closed'
RETURN o.id AS id

// name: rounds
MATCH (d:DraftRound {township: $township})
RETURN d.id AS id, d.township AS township, d.round AS round, d.items AS items, d.set_aside AS set_aside,
       d.status AS status, d.created_at AS created_at, d.created_by AS created_by, d.note AS note,
       d.list_id AS list_id
ORDER BY round

// name: add_comment
MATCH (d:DraftRound {id: $round_id, status: 'open'})
CREATE (c:DraftComment {id: $id, round_id: $round_id, item_key: $item_key, kind: $kind, reviewer: $reviewer,
                        text: $text, created_at: $at})
RETURN c.id AS id

// name: comments
MATCH (c:DraftComment {round_id: $round_id})
RETURN c.id AS id, c.item_key AS item_key, c.kind AS kind, c.reviewer AS reviewer, c.text AS text,
       c.created_at AS created_at
ORDER BY created_at, id

// name: published
// The last round marked published with its list version, compare-and-set on its status, with its audit entry.
MATCH (d:DraftRound {id: $id})
SET d.lock = coalesce(d.lock, 0) + 1
WITH d
WHERE d.status = 'open'
SET d.status = 'published', d.list_id = $list_id
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
RETURN d.id AS id
