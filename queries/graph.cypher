// Graph explorer: a node's neighbours, one statement per label so that the id lookup uses the label's
// index (labels are never taken from input: the repository picks the statement by a schema label).
// A list is named "丁蜀镇 2025-06-30 清单", as services/explorer.display_name does.

// name: neighbours_township
MATCH (n:Township {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_township
MATCH (n:Township {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_dutylist
MATCH (n:DutyList {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_dutylist
MATCH (n:DutyList {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_dutyitem
MATCH (n:DutyItem {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_dutyitem
MATCH (n:DutyItem {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_department
MATCH (n:Department {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_department
MATCH (n:Department {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_post
MATCH (n:Post {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_post
MATCH (n:Post {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_agency
MATCH (n:Agency {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_agency
MATCH (n:Agency {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_law
MATCH (n:Law {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_law
MATCH (n:Law {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_lawversion
MATCH (n:LawVersion {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_lawversion
MATCH (n:LawVersion {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_article
MATCH (n:Article {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_article
MATCH (n:Article {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_paragraph
MATCH (n:Paragraph {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_paragraph
MATCH (n:Paragraph {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_point
MATCH (n:Point {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_point
MATCH (n:Point {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_citation
MATCH (n:Citation {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_citation
MATCH (n:Citation {id: $id})
RETURN n AS node, labels(n)[0] AS label

// name: neighbours_task
MATCH (n:Task {id: $id})-[r]-(m)
WHERE $types IS NULL OR type(r) IN $types
RETURN type(r) AS type, startNode(r) = n AS outgoing, labels(m)[0] AS label, m.id AS id,
       CASE WHEN 'DutyList' IN labels(m)
            THEN m.township_id + ' ' + m.date + ' 清单'
            ELSE coalesce(m.name, m.title, m.label, m.raw, m.id) END AS name
ORDER BY type, id
LIMIT $limit

// name: node_task
MATCH (n:Task {id: $id})
RETURN n AS node, labels(n)[0] AS label
