// What the sample generator reads from the loaded law corpus (it needs no files beside the clone).

// name: township_paragraphs
// 款 of the versions in force on the sample date ($versions) that may place a duty on townships (filtered further in Python).
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)-[:HAS_ARTICLE]->(a:Article)-[:HAS_PARAGRAPH]->(p:Paragraph)
WHERE v.id IN $versions AND l.level IN $levels AND (p.text CONTAINS '镇' OR p.text CONTAINS '街道')
RETURN l.title AS law, a.number AS article, a.label AS label, a.chapter AS chapter, p.number AS paragraph,
       0 AS point, p.text AS text
ORDER BY law, article, paragraph

// name: township_points
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)-[:HAS_ARTICLE]->(a:Article)-[:HAS_PARAGRAPH]->(p:Paragraph)
MATCH (p)-[:HAS_POINT]->(pt:Point)
WHERE v.id IN $versions AND l.level IN $levels AND (pt.text CONTAINS '镇' OR pt.text CONTAINS '街道')
RETURN l.title AS law, a.number AS article, a.label AS label, a.chapter AS chapter, p.number AS paragraph,
       pt.number AS point, pt.text AS text
ORDER BY law, article, paragraph, point

// name: penalty_articles
// First 款 of the articles in 法律责任 / 罚则 chapters of the versions in force on the sample date (the 收回 penalty powers).
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)-[:HAS_ARTICLE]->(a:Article)-[:HAS_PARAGRAPH]->(p:Paragraph {number: 1})
WHERE v.id IN $versions AND l.level IN $levels AND (a.chapter CONTAINS '法律责任' OR a.chapter CONTAINS '罚则')
RETURN l.title AS law, a.number AS article, a.label AS label, a.text AS text, p.text AS first
ORDER BY law, article

// name: versions
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
RETURN l.title AS law, l.status AS status, v.id AS id, v.date AS date

// name: renumbered
// The numbering in force on the sample date of an article/款 mapped back to the previous version's (content alignment).
MATCH (v:LawVersion)-[:HAS_ARTICLE]->(na:Article)<-[:SUCCEEDED_BY]-(oa:Article)
WHERE v.id IN $versions AND oa.version_id STARTS WITH (v.law_id + '@')
OPTIONAL MATCH (na)-[:HAS_PARAGRAPH]->(np:Paragraph)<-[:SUCCEEDED_BY]-(op:Paragraph)<-[:HAS_PARAGRAPH]-(oa)
RETURN v.law_id AS law, na.number AS article, oa.number AS old_article, np.number AS paragraph,
       op.number AS old_paragraph
