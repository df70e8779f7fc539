"""eventwire.analyse."""
