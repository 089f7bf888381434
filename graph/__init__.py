"""The graph model, the two stores behind one interface, analytics and export."""
