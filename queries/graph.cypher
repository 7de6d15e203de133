// Graph explorer: a node's neighbours, one statement per label so that the id lookup uses the label's
// index (labels are never taken from input: the repository picks the statement by a schema label).
// Captions say what a person calls a node: "丁蜀镇 2025-06-30 清单", "中华人民共和国安全生产法 2021-06-10 版",
// "周铁镇: 《安全生产法》第九条第二款" (a citation with its township), "第2款".

// name: neighbours_township
MATCH (n:Township {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_township
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Township {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_township
MATCH (n:Township {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_dutylist
MATCH (n:DutyList {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_dutylist
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:DutyList {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_dutylist
MATCH (n:DutyList {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_dutyitem
MATCH (n:DutyItem {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_dutyitem
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:DutyItem {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_dutyitem
MATCH (n:DutyItem {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_department
MATCH (n:Department {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_department
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Department {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_department
MATCH (n:Department {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_post
MATCH (n:Post {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_post
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Post {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_post
MATCH (n:Post {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_agency
MATCH (n:Agency {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_agency
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Agency {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_agency
MATCH (n:Agency {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_law
MATCH (n:Law {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_law
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Law {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_law
MATCH (n:Law {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_lawversion
MATCH (n:LawVersion {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_lawversion
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:LawVersion {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_lawversion
MATCH (n:LawVersion {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_article
MATCH (n:Article {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_article
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Article {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_article
MATCH (n:Article {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_paragraph
MATCH (n:Paragraph {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_paragraph
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Paragraph {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_paragraph
MATCH (n:Paragraph {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_point
MATCH (n:Point {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_point
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Point {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_point
MATCH (n:Point {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_citation
MATCH (n:Citation {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_citation
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Citation {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_citation
MATCH (n:Citation {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_task
MATCH (n:Task {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m) THEN m.township_id + ' ' + m.date + ' 清单'
            WHEN 'LawVersion' IN labels(m) THEN m.title + ' ' + m.date + ' 版'
            WHEN 'Citation' IN labels(m)
              THEN coalesce(head([(m)<-[:HAS_BASIS]-(ci:DutyItem) | ci.township_id]) + ': ', '') + m.raw
            WHEN 'Paragraph' IN labels(m) THEN '第' + toString(m.number) + '款'
            WHEN 'Point' IN labels(m) THEN '第' + toString(m.number) + '项'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
SKIP $skip
LIMIT $limit

// name: degree_task
// How many neighbours along each relationship type (the "60 of 339 shown" notice).
MATCH (n:Task {id: $id})-[r]-()
RETURN type(r) AS type, count(r) AS n
ORDER BY type

// name: node_task
MATCH (n:Task {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: law_duties
// Law → its current version's articles → the duties citing them (the article, or one of its 款), one row per
// article and duty name, with how many townships list that duty.
MATCH (l:Law {id: $id})-[:HAS_VERSION]->(v:LawVersion)-[:HAS_ARTICLE]->(a:Article)<-[:REFERS_TO]-(:Citation)
      <-[:HAS_BASIS]-(i:DutyItem)<-[:HAS_ITEM]-(:DutyList {current: true})
WHERE v.status = 'current'
RETURN a.id AS article_id, a.label AS article, a.number AS number, i.name AS name, i.part AS part,
       min(i.id) AS item_id, count(DISTINCT i.township_id) AS townships
UNION ALL
MATCH (l:Law {id: $id})-[:HAS_VERSION]->(v:LawVersion)-[:HAS_ARTICLE]->(a:Article)-[:HAS_PARAGRAPH]->(:Paragraph)
      <-[:REFERS_TO]-(:Citation)<-[:HAS_BASIS]-(i:DutyItem)<-[:HAS_ITEM]-(:DutyList {current: true})
WHERE v.status = 'current'
RETURN a.id AS article_id, a.label AS article, a.number AS number, i.name AS name, i.part AS part,
       min(i.id) AS item_id, count(DISTINCT i.township_id) AS townships
