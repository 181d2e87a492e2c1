"""Travel in time to the day an act can really happen (the check-in and the event's being held are refused
before the event's start). Uses time-machine, which moves timezone.now() and date.today() alike."""

import datetime as dt

import time_machine


def on_event_day(event, hours=1):
    """A context manager (also .start()/.stop()): the clock is `hours` after the event's start, and ticks."""
    return time_machine.travel(event.starts_at + dt.timedelta(hours=hours), tick=True)
