"""Reading case files and turning them into a graph document."""
