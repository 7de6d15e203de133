// Maintenance statements shared by every backend.

// name: delete_batch
MATCH (n) WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted

// name: counts
MATCH (n)
RETURN labels(n)[0] AS label, count(*) AS n
ORDER BY label
