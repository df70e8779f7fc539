"""eventwire.eval."""
