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


# A class XII RPL of SMK Negeri 2 Cimahi, registered together by their TUK's head from a spreadsheet
# (events.imports) for the published event: each got an invitation to set a password and complete APL.01/02.
SMK_CLASS = [
    Person("Aditya", "Nugraha", "aditya.nugraha@contoh.id", "L", dt.date(2008, 3, 14), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Bella", "Safitri", "bella.safitri@contoh.id", "P", dt.date(2008, 6, 2), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Dimas", "Saputro", "dimas.saputro@contoh.id", "L", dt.date(2008, 1, 27), "Bandung", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Farah", "Azzahra", "farah.azzahra@contoh.id", "P", dt.date(2008, 9, 9), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Gilang", "Ramadhan", "gilang.ramadhan@contoh.id", "L", dt.date(2007, 12, 18), "Bandung", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Intan", "Kusumawati", "intan.kusumawati@contoh.id", "P", dt.date(2008, 4, 5), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Naufal", "Hakim", "naufal.hakim@contoh.id", "L", dt.date(2008, 7, 21), "Cimahi", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
    Person("Salsabila", "Putri", "salsabila.putri@contoh.id", "P", dt.date(2008, 2, 11), "Bandung", "Cimahi",
           "SMK Negeri 2 Cimahi", "Siswa"),
]
