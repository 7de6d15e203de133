"""Query-time domain logic: what routes, pages, the CLI and benches ask of the graph."""
