"""Numbers that are unique and never reused, safe when two people act at the same moment."""

from django.db import IntegrityError, transaction

from kompeten.core.models import Sequence


def next_number(name, year):
    """Take the next number of a yearly sequence. Must be called inside the act's transaction."""
    return take_numbers(name, year, 1)[0]


def take_numbers(name, year, n):
    """Take the next `n` numbers of a yearly sequence at once (a range; bulk work numbering many records in one
    act). Must be called inside the act's transaction."""
    with transaction.atomic():
        seq = Sequence.objects.select_for_update().filter(name=name, year=year).first()
        if seq is None:  # the year's first number
            try:
                with transaction.atomic():
                    Sequence.objects.create(name=name, year=year)
            except IntegrityError:  # created by a concurrent request between our read and write
                pass
            seq = Sequence.objects.select_for_update().get(name=name, year=year)
        first = seq.last + 1
        seq.last += n
        seq.save(update_fields=["last"])
        return range(first, seq.last + 1)
