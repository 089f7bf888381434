"""The project's own Neo4j server for contributors, tests and CI: fetch its jars, start, stop, status."""
