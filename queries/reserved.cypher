// 准入参考目录: duties that must stay with county departments (services/lifecycle.Admissions).

// name: delete_batch
// The previous catalogue goes in batches before a new one is written (a catalogue is replaced whole).
MATCH (r:ReservedDuty)
WITH r LIMIT $limit
DETACH DELETE r
RETURN count(*) AS deleted

// name: create
UNWIND $rows AS r
CREATE (:ReservedDuty {id: r.id, name: r.name, department: r.department, basis: r.basis, note: r.note,
                       source: r.source})

// name: all
MATCH (r:ReservedDuty)
RETURN r.id AS id, r.name AS name, r.department AS department, r.basis AS basis, r.note AS note
ORDER BY name

// name: from_taken_back
// A catalogue drawn from the current lists' 收回 items (the duties county departments took back): the demo's
// reference catalogue, constructed from the sample.
MATCH (:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)-[:TAKEN_BACK_BY]->(d:Department)
WITH i.name AS name, d.name AS department, min(coalesce(i.basis_raw, '')) AS basis
RETURN name, department, basis
ORDER BY name, department
LIMIT $limit
