// Laws, versions, articles (条), paragraphs (款) and points (项).

// name: version_hashes
MATCH (v:LawVersion)
RETURN v.id AS id, v.content_hash AS content_hash

// name: upsert_laws
UNWIND $rows AS r
MERGE (l:Law {id: r.id})
SET l.title = r.title, l.short_title = r.short_title, l.category = r.category, l.level = r.level,
    l.region = r.region, l.issuer = r.issuer

// name: upsert_versions
UNWIND $rows AS r
MATCH (l:Law {id: r.law_id})
MERGE (v:LawVersion {id: r.id})
SET v.law_id = r.law_id, v.title = r.title, v.date = r.date, v.source_file = r.source_file,
    v.source_format = r.source_format, v.history = r.history, v.content_hash = r.content_hash,
    v.article_count = r.article_count, v.decree = r.decree, v.shape = r.shape,
    v.township_paragraphs = r.township_paragraphs
MERGE (l)-[:HAS_VERSION]->(v)

// name: unmarked_versions
// Versions written before their township paragraphs were marked (graph/store.py, upgrade).
MATCH (v:LawVersion)
WHERE v.township_paragraphs IS NULL
RETURN v.id AS id

// name: version_paragraphs
MATCH (:LawVersion {id: $id})-[:HAS_ARTICLE]->(:Article)-[:HAS_PARAGRAPH]->(p:Paragraph)
RETURN p.id AS id, p.text AS text

// name: mark_township_paragraphs
UNWIND $rows AS r
MATCH (v:LawVersion {id: r.id})
SET v.township_paragraphs = r.township_paragraphs

// name: delete_version_text_batch
MATCH (v:LawVersion {id: $version_id})-[:HAS_ARTICLE]->(a:Article)
WITH a LIMIT $limit
OPTIONAL MATCH (a)-[:HAS_PARAGRAPH]->(p:Paragraph)
OPTIONAL MATCH (p)-[:HAS_POINT]->(pt:Point)
WITH a, collect(DISTINCT p) AS ps, collect(DISTINCT pt) AS pts
FOREACH (x IN pts | DETACH DELETE x)
FOREACH (x IN ps | DETACH DELETE x)
DETACH DELETE a
RETURN count(*) AS deleted

// name: upsert_articles
UNWIND $rows AS r
MATCH (v:LawVersion {id: r.version_id})
MERGE (a:Article {id: r.id})
SET a.version_id = r.version_id, a.number = r.number, a.label = r.label, a.part = r.part,
    a.chapter = r.chapter, a.section = r.section, a.text = r.text
MERGE (v)-[:HAS_ARTICLE]->(a)

// name: upsert_paragraphs
UNWIND $rows AS r
MATCH (a:Article {id: r.article_id})
MERGE (p:Paragraph {id: r.id})
SET p.article_id = r.article_id, p.number = r.number, p.text = r.text
MERGE (a)-[:HAS_PARAGRAPH]->(p)

// name: upsert_points
UNWIND $rows AS r
MATCH (p:Paragraph {id: r.paragraph_id})
MERGE (pt:Point {id: r.id})
SET pt.paragraph_id = r.paragraph_id, pt.number = r.number, pt.text = r.text
MERGE (p)-[:HAS_POINT]->(pt)

// name: all_versions
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
RETURN l.id AS law_id, l.title AS title, v.id AS id, v.date AS date, v.status AS status
ORDER BY law_id, date

// name: set_statuses
UNWIND $rows AS r
MATCH (v:LawVersion {id: r.id})
SET v.status = r.status
WITH r
MATCH (l:Law {id: r.law_id})
SET l.status = r.law_status

// name: link_successions
UNWIND $rows AS r
MATCH (a:LawVersion {id: r.old}), (b:LawVersion {id: r.new})
MERGE (a)-[s:SUCCEEDED_BY]->(b)
SET s.kind = r.kind

// name: link_amendments
UNWIND $rows AS r
MATCH (v:LawVersion {id: r.version_id}), (l:Law {id: r.law_id})
MERGE (v)-[a:AMENDS]->(l)
SET a.date = r.date

// name: list_laws
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
WITH l, v ORDER BY v.date
WITH l, collect({date: v.date, status: v.status, articles: v.article_count}) AS versions
OPTIONAL MATCH (l)-[:HAS_VERSION]->(:LawVersion)-[:SUCCEEDED_BY {kind: 'replacement'}]->(nv:LawVersion)
RETURN l.title AS title, l.short_title AS short_title, l.category AS category, l.status AS status,
       l.level AS level, l.region AS region, l.issuer AS issuer, versions, collect(DISTINCT nv.title) AS replaced_by
ORDER BY l.category, l.title

// name: find_law
MATCH (l:Law)
WHERE l.title = $law OR l.short_title = $law
RETURN l.id AS id, l.title AS title, l.short_title AS short_title, l.status AS status

// name: law_by_id
MATCH (l:Law {id: $id})
RETURN l.id AS id, l.title AS title, l.short_title AS short_title, l.status AS status

// name: search_laws
// Laws whose title contains $q, or whose id the title resolver matched ($ids), with their versions.
MATCH (l:Law)
WHERE l.title CONTAINS $q OR l.id IN $ids
WITH l ORDER BY size(l.title) LIMIT $limit
MATCH (l)-[:HAS_VERSION]->(v:LawVersion)
WITH l, v ORDER BY v.date
WITH l, collect({date: v.date, status: v.status, articles: v.article_count}) AS versions
OPTIONAL MATCH (l)-[:HAS_VERSION]->(:LawVersion)-[:SUCCEEDED_BY {kind: 'replacement'}]->(nv:LawVersion)
RETURN l.title AS title, l.short_title AS short_title, l.category AS category, l.status AS status,
       l.level AS level, l.region AS region, l.issuer AS issuer, versions, collect(DISTINCT nv.title) AS replaced_by

// name: article
// One row per 款 and 项 (nested pattern comprehensions come back empty on FalkorDB): assembled in Python.
MATCH (v:LawVersion {id: $version_id})-[:HAS_ARTICLE]->(a:Article)
WHERE a.number = $number
OPTIONAL MATCH (a)-[:HAS_PARAGRAPH]->(p:Paragraph)
OPTIONAL MATCH (p)-[:HAS_POINT]->(pt:Point)
RETURN a.label AS label, a.number AS number, a.part AS part, a.chapter AS chapter, a.section AS section,
       a.text AS text, p.number AS paragraph, p.text AS paragraph_text, pt.number AS point, pt.text AS point_text
ORDER BY paragraph, point

// name: titles
MATCH (l:Law)
RETURN l.id AS id, l.title AS title, l.short_title AS short_title, l.level AS level

// name: decrees
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
WHERE v.decree IS NOT NULL AND v.decree <> ''
RETURN l.id AS law_id, v.decree AS decree, v.date AS date

// name: index_versions
MATCH (l:Law)-[:HAS_VERSION]->(v:LawVersion)
RETURN l.id AS law_id, v.id AS version_id, v.date AS date, v.status AS status

// name: index_version_articles
// One version's articles with their 款 and the number of 项 in each (loaded when a citation first needs it).
MATCH (v:LawVersion {id: $version_id})-[:HAS_ARTICLE]->(a:Article)
OPTIONAL MATCH (a)-[:HAS_PARAGRAPH]->(p:Paragraph)
OPTIONAL MATCH (p)-[:HAS_POINT]->(pt:Point)
RETURN a.id AS id, a.number AS number, a.label AS label, a.text AS text, p.number AS paragraph, p.id AS paragraph_id,
       count(pt) AS points

// name: version_text
MATCH (v:LawVersion {id: $id})-[:HAS_ARTICLE]->(a:Article)
OPTIONAL MATCH (a)-[:HAS_PARAGRAPH]->(p:Paragraph)
RETURN a.id AS id, a.number AS number, a.label AS label, a.text AS text, p.number AS paragraph, p.text AS paragraph_text
ORDER BY number, paragraph

// name: link_article_successions
UNWIND $rows AS r
MATCH (a:Article {id: r.old}), (b:Article {id: r.new})
MERGE (a)-[s:SUCCEEDED_BY]->(b)
SET s.change = r.change, s.score = r.score

// name: link_paragraph_successions
UNWIND $rows AS r
MATCH (a:Paragraph {id: r.old}), (b:Paragraph {id: r.new})
MERGE (a)-[s:SUCCEEDED_BY]->(b)
SET s.score = r.score

// name: version_successions
MATCH (a:LawVersion)-[s:SUCCEEDED_BY]->(b:LawVersion)
RETURN a.id AS old, b.id AS new, s.kind AS kind, a.title AS old_title, b.title AS new_title

// name: law_versions
MATCH (l:Law {id: $law_id})-[:HAS_VERSION]->(v:LawVersion)
RETURN v.id AS id, v.date AS date, v.status AS status
ORDER BY date

// name: alignment
// Article successions from one version to a later one (following the chain through versions between).
MATCH (a:Article {version_id: $from_id})
OPTIONAL MATCH path = (a)-[:SUCCEEDED_BY*1..6]->(b:Article {version_id: $to_id})
RETURN a.number AS old, a.label AS old_label, a.text AS old_text, b.number AS new, b.label AS new_label,
       b.text AS new_text, [r IN relationships(path) | r.change] AS changes,
       [r IN relationships(path) | r.score] AS scores
ORDER BY old, new

// name: paragraph_alignment
MATCH (a:Article {version_id: $from_id})-[:HAS_PARAGRAPH]->(p:Paragraph)
MATCH (p)-[:SUCCEEDED_BY*1..6]->(q:Paragraph)<-[:HAS_PARAGRAPH]-(b:Article {version_id: $to_id})
RETURN a.number AS old, p.number AS old_paragraph, b.number AS new, q.number AS new_paragraph

// name: alignment_count
MATCH (a:Article {version_id: $old})-[s:SUCCEEDED_BY]->(:Article {version_id: $new})
RETURN count(s) AS n

// name: article_heads
MATCH (v:LawVersion {id: $id})-[:HAS_ARTICLE]->(a:Article)
RETURN a.number AS number, a.chapter AS chapter, a.section AS section

// name: article_counterpart
// The article of version $version_id that the content alignment (SUCCEEDED_BY, either direction) links to $id.
MATCH (a:Article {id: $id})
OPTIONAL MATCH (b:Article {version_id: $version_id})-[:SUCCEEDED_BY*1..8]->(a)
OPTIONAL MATCH (a)-[:SUCCEEDED_BY*1..8]->(f:Article {version_id: $version_id})
WITH coalesce(b, f) AS c
WHERE c IS NOT NULL
RETURN c.id AS id, c.number AS number, c.label AS label, c.text AS text
LIMIT 1

// name: version_status
UNWIND $ids AS id
MATCH (v:LawVersion {id: id})
RETURN v.id AS id, v.status AS status

// name: corpus
// The law corpus loaded, by source format (the footer of every page names it).
MATCH (v:LawVersion)
RETURN v.source_format AS format, count(v) AS n, max(v.date) AS latest
ORDER BY n DESC, format

// name: article_exists
// Whether some version of a law has an article of this number (a search for "法名 第X条" jumps to it).
MATCH (:Law {id: $law_id})-[:HAS_VERSION]->(:LawVersion)-[:HAS_ARTICLE]->(a:Article)
WHERE a.number = $number
RETURN count(a) AS n

// name: citing_items
// The current items citing each article of a version (the article itself, one of its 款 or 项): per article,
// part and item name, in how many townships. Anchored on the citations of the law (indexed by title): walking
// from the version's articles to every citation and then to the current lists took 330 ms at 10×, this 20 ms.
MATCH (c:Citation {law_title: $title})
WHERE c.version_id = $id AND c.article IS NOT NULL
MATCH (c)-[:REFERS_TO]->()
MATCH (i:DutyItem)-[:HAS_BASIS]->(c)
MATCH (:DutyList {current: true})-[:HAS_ITEM]->(i)
RETURN c.article AS number, i.part AS part, i.name AS name, count(DISTINCT i.township_id) AS townships

