"""eventwire.store."""

#: Row ids are 64-bit integers in SQLite and PostgreSQL: a larger number given for one (a path, a
#: filter, an offset) is refused before it reaches the database, where it would overflow.
MAX_ROW_ID = 2**63 - 1
