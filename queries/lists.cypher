// Townships, duty lists and their items, organisations and legal-basis citations.

// name: upsert_townships
UNWIND $rows AS r
MERGE (t:Township {id: r.id})
SET t.name = r.name, t.code = r.code, t.kind = r.kind, t.county = r.county
