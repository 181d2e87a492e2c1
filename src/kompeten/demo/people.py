"""A demo person (candidate): who they are, where they live and work."""

import datetime as dt
from dataclasses import dataclass


@dataclass
class Person:
    first: str
    last: str
    email: str
    sex: str  # L / P
    born: dt.date
    birth_place: str
    city: str
    employer: str
    position: str
