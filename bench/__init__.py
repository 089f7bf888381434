"""Benchmarks. Their data is synthetic (bench/synthetic.py) and kept apart from data/."""
