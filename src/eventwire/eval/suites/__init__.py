"""Evaluation suites; each module defines SUITE (see eventwire.eval.base)."""
