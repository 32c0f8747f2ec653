"""Names inside a sentence: "Another vitamin K antagonist (acenocoumarol)" reads "another vitamin K antagonist
(acenocoumarol)" after "because of", while an abbreviation keeps its capitals ("HIV integrase inhibitors")."""

from django import template

register = template.Library()


@register.filter
def in_sentence(name: str) -> str:
    """The name with its first letter in lower case, unless its first word is an abbreviation or is in capitals
    beyond the first letter; the rest keeps its case."""
    first = str(name).split(" ", 1)[0]
    if len(first) > 1 and any(char.isupper() for char in first[1:]):
        return str(name)
    return str(name)[:1].lower() + str(name)[1:]
