// The append-only audit log: entries are created, never changed or deleted (no statement here does).

// name: record
CREATE (:AuditEntry {id: $id, at: $at, who: $who, role: $role, org: $org, action: $action, target: $target,
                     before: $before, after: $after, detail: $detail})

// name: entries
MATCH (e:AuditEntry)
WHERE ($action IS NULL OR e.action STARTS WITH $action) AND ($target IS NULL OR e.target = $target)
RETURN e.at AS at, e.who AS who, e.role AS role, e.org AS org, e.action AS action, e.target AS target,
       e.before AS before, e.after AS after, e.detail AS detail
ORDER BY at DESC, e.id
SKIP $offset LIMIT $limit

// name: count
MATCH (e:AuditEntry)
WHERE ($action IS NULL OR e.action STARTS WITH $action) AND ($target IS NULL OR e.target = $target)
RETURN count(e) AS total
