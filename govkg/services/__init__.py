"""Work the command line, the app and the benchmarks share above the graph: loading files into a store."""
