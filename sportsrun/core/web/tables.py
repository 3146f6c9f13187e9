from piccolo.columns import Integer, Varchar
from piccolo.table import Table


class RateCounter(Table):
    """Sliding-window request counters shared by all worker processes: the current fixed window's count
    and the one before it. `key` is an HMAC of the client address, never the address itself."""

    key = Varchar(length=80, primary_key=True)
    window_start = Integer()
    count = Integer(default=0)
    previous_count = Integer(default=0)
