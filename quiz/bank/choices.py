"""Which stored choice a re-imported choice takes the place of.

Responses record the ids of the choices a student picked, so a re-import must
keep each id with the text it had: a choice whose text is unchanged keeps its
row wherever it moved in the list (a bank that reorders its choices to balance
key positions must not make past answers point at other words), and the
remaining new choices take the remaining rows in order (an edited wording keeps
its row, as an edit in the admin would).
"""

from collections.abc import Sequence


def match_choices(stored: Sequence[str], incoming: Sequence[str]) -> list[int | None]:
    """For each incoming choice text, the index of the stored choice whose row it reuses, or None for a new row."""
    matches: list[int | None] = [None] * len(incoming)
    free = list(range(len(stored)))
    for position, text in enumerate(incoming):
        same = next((index for index in free if stored[index] == text), None)
        if same is not None:
            matches[position] = same
            free.remove(same)
    for position in range(len(incoming)):
        if matches[position] is None and free:
            matches[position] = free.pop(0)
    return matches
