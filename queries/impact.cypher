// Law change impact: which current items cite the provisions a change touches.

// name: citations_of_law
// Starts from the law's citations (indexed by law title: the law → cited-items index), then keeps the items of
// current lists; scanning every current item instead took 1.6 s at 10×.
// An amendment reads the citations of the old version, and those of later versions flagged suspicious;
// $quiet: articles whose citations need no review (kept word for word under their number). A repeal: all, nulls.
MATCH (c:Citation {law_title: $law})
WHERE ($version_ids IS NULL OR c.version_id = $old_id OR (c.status = 'suspicious' AND c.version_id IN $version_ids))
  AND ($quiet IS NULL OR c.article IS NULL OR NOT c.article IN $quiet)
MATCH (i:DutyItem)-[:HAS_BASIS]->(c)
MATCH (l:DutyList {current: true})-[:HAS_ITEM]->(i)
// (who leads and cooperates: the item's materialised roles, read with it; three pattern comprehensions per row
// made this statement 200 ms at 100×, 1,833 citations of 安全生产法; a graph from before gets them at open)
// (the township's name from its list: walking to the township was 5 of the 50 ms at 100×)
RETURN i.id AS item_id, i.name AS item, i.part AS part, l.township_name AS township, l.date AS list_date,
       c.raw AS raw, c.article AS article, c.paragraph AS paragraph, c.point AS point, c.status AS status,
       c.version_id AS version_id, i.roles AS roles
ORDER BY township, part, item

