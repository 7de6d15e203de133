// Reads {schema, statements:[{name, text, params}]} as JSON on stdin and lints every statement with
// Neo4j's parser. Prints one JSON line per statement; exits 1 if any statement has an error.
import { lintCypherQuery } from '@neo4j-cypher/language-support';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
let failed = 0;
for (const st of input.statements) {
  const params = Object.fromEntries(st.params.map((p) => [p, null]));
  const schema = { ...input.schema, parameters: params };
  const { diagnostics } = lintCypherQuery(st.text, schema);
  const errors = diagnostics.filter((d) => d.severity === 1).map((d) => d.message);
  const warnings = diagnostics.filter((d) => d.severity !== 1).map((d) => d.message);
  if (errors.length) failed += 1;
  console.log(JSON.stringify({ name: st.name, errors, warnings }));
}
process.exit(failed ? 1 : 0);
