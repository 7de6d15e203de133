// 事项准入 applications.

// name: create
// domain: workflow (links workflow records to graph nodes; no kept answer reads the links)
CREATE (a:Admission {id: $id, department: $department, title: $title, text: $text, townships: $townships,
                     status: $status, check: $check, applicant: $applicant, created_at: $created_at})
WITH a
UNWIND $townships AS name
MATCH (t:Township {name: name})
CREATE (a)-[:ADMISSION_FOR]->(t)

// name: get
MATCH (a:Admission {id: $id})
RETURN a.id AS id, a.department AS department, a.title AS title, a.text AS text, a.townships AS townships,
       a.status AS status, a.check AS check, a.applicant AS applicant, a.created_at AS created_at,
       a.reviewer AS reviewer, a.comment AS comment, a.decided_at AS decided_at

// name: find
MATCH (a:Admission)
WHERE ($department IS NULL OR a.department = $department) AND ($status IS NULL OR a.status = $status)
RETURN a.id AS id, a.department AS department, a.title AS title, a.text AS text, a.townships AS townships,
       a.status AS status, a.check AS check, a.applicant AS applicant, a.created_at AS created_at,
       a.reviewer AS reviewer, a.comment AS comment, a.decided_at AS decided_at
ORDER BY created_at DESC

// name: decide
// Compare-and-set: of concurrent decisions exactly one finds the application still 'checked' (the write lock is
// taken before the status is read: see requests.set_status).
MATCH (a:Admission {id: $id})
SET a.lock = coalesce(a.lock, 0) + 1
WITH a
WHERE a.status = 'checked'
SET a.status = $status, a.reviewer = $reviewer, a.comment = $comment, a.decided_at = $decided_at
CREATE (:AuditEntry {id: $audit.id, at: $audit.at, who: $audit.who, role: $audit.role, org: $audit.org,
                     action: $audit.action, target: $audit.target, before: $audit.before, after: $audit.after,
                     detail: $audit.detail})
RETURN a.id AS id
