"""eventwire.resolve."""
