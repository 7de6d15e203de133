// Maintenance statements shared by every backend.

// name: delete_batch
// (the generation stays: processes keep results by it, and a number it had before must not come back)
MATCH (n) WHERE NOT n:Generation
WITH n LIMIT $limit
DETACH DELETE n
RETURN count(*) AS deleted

// name: counts
// One count per schema label: a label scan each, instead of one pass over every node. (Not the Generation: Neo4j
// keeps it as a node, FalkorDB in keys beside the graph; it is bookkeeping, not data.)
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
UNION ALL
MATCH (n:Wording) RETURN 'Wording' AS label, count(n) AS n
UNION ALL
MATCH (n:SweepEntry) RETURN 'SweepEntry' AS label, count(n) AS n
UNION ALL
MATCH (n:DraftRound) RETURN 'DraftRound' AS label, count(n) AS n
UNION ALL
MATCH (n:DraftComment) RETURN 'DraftComment' AS label, count(n) AS n
UNION ALL
MATCH (n:HandoverPlan) RETURN 'HandoverPlan' AS label, count(n) AS n
UNION ALL
MATCH (n:Rating) RETURN 'Rating' AS label, count(n) AS n

// name: generation
// The graph's write generation (graph/memo.py): one node, found by its label. The epoch is drawn when the node
// is made, so a graph wiped and written again never repeats a generation some process has kept results for.
MATCH (g:Generation)
RETURN g.epoch AS epoch, g.n AS n

// name: bump_generation
MERGE (g:Generation {id: 'graph'})
ON CREATE SET g.epoch = $epoch
SET g.n = coalesce(g.n, 0) + 1
