"""The column names by which the series readers know a long CSV's columns (lower case).

A module of its own, without NumPy, so that the command line's help can
name them (`ForecastConfig`).
"""

# A long CSV has a row per (series, time): its series-id, timestamp and value columns
# (Statistics Canada's tables: `REF_DATE`, `VECTOR`, `VALUE`).
ID_COLUMNS = ("series", "series_id", "id", "unique_id", "item_id", "vector")
TIME_COLUMNS = ("timestamp", "ds", "date", "time", "datetime", "month", "year", "ref_date")
VALUE_COLUMNS = ("value", "y", "target")


def listed(names):
    """`names` in words: `a, b or c`."""
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)
