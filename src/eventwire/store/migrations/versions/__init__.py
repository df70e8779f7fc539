"""Named migrations, one file each, applied in order by :func:`eventwire.store.db.open_store`."""
