// Maintenance statements shared by every backend.

// name: delete_batch
MATCH (n) WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted

// name: counts
// One count per schema label: a label scan each, instead of one pass over every node.
MATCH (n:Township) RETURN 'Township' AS label, count(n) AS n
UNION ALL
MATCH (n:DutyList) RETURN 'DutyList' AS label, count(n) AS n
UNION ALL
MATCH (n:DutyItem) RETURN 'DutyItem' AS label, count(n) AS n
UNION ALL
MATCH (n:Department) RETURN 'Department' AS label, count(n) AS n
UNION ALL
MATCH (n:Post) RETURN 'Post' AS label, count(n) AS n
UNION ALL
MATCH (n:Agency) RETURN 'Agency' AS label, count(n) AS n
UNION ALL
MATCH (n:Law) RETURN 'Law' AS label, count(n) AS n
UNION ALL
MATCH (n:LawVersion) RETURN 'LawVersion' AS label, count(n) AS n
UNION ALL
MATCH (n:Article) RETURN 'Article' AS label, count(n) AS n
UNION ALL
MATCH (n:Paragraph) RETURN 'Paragraph' AS label, count(n) AS n
UNION ALL
MATCH (n:Point) RETURN 'Point' AS label, count(n) AS n
UNION ALL
MATCH (n:Citation) RETURN 'Citation' AS label, count(n) AS n
UNION ALL
MATCH (n:Task) RETURN 'Task' AS label, count(n) AS n
UNION ALL
MATCH (n:ChangeRequest) RETURN 'ChangeRequest' AS label, count(n) AS n
UNION ALL
MATCH (n:Review) RETURN 'Review' AS label, count(n) AS n
UNION ALL
MATCH (n:Admission) RETURN 'Admission' AS label, count(n) AS n
UNION ALL
MATCH (n:AuditEntry) RETURN 'AuditEntry' AS label, count(n) AS n
UNION ALL
MATCH (n:ReservedDuty) RETURN 'ReservedDuty' AS label, count(n) AS n
UNION ALL
MATCH (n:Record) RETURN 'Record' AS label, count(n) AS n
UNION ALL
MATCH (n:DutyKey) RETURN 'DutyKey' AS label, count(n) AS n
UNION ALL
MATCH (n:Tally) RETURN 'Tally' AS label, count(n) AS n
