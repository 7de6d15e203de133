// 岗位职责说明书: a township's posts with the items they lead or cooperate on (services/statements.py).

// name: township_posts
// One row per (post, item): the role, the item, its bases as written and resolved, its departments.
MATCH (t:Township {name: $township})-[:HAS_LIST]->(:DutyList {current: true})-[:HAS_ITEM]->(i:DutyItem)
WITH i
MATCH (i)-[r:LED_BY|COOPERATED_BY]->(p:Post)
WITH p, r, i
OPTIONAL MATCH (i)-[:LED_BY|COOPERATED_BY|TAKEN_BACK_BY]->(d:Department)
WITH p, r, i, collect(DISTINCT d.name) AS departments
OPTIONAL MATCH (i)-[:HAS_BASIS]->(c:Citation)
WITH p, r, i, departments, collect(DISTINCT c.raw) AS bases
RETURN p.name AS post, type(r) AS role, i.id AS id, i.name AS name, i.part AS part, i.domain AS domain,
       i.content AS content, i.basis_raw AS basis_raw, departments, bases
ORDER BY post, role, part, name
