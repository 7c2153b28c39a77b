"""Authority identifiers of entries (models.Identifiers) as the addresses of their records."""
from __future__ import annotations

AUTHORITIES = {  # name -> (label, address of a record from its identifier)
    "wikidata": ("Wikidata", "https://www.wikidata.org/wiki/{}"),
    "viaf": ("VIAF", "https://viaf.org/viaf/{}/"),
    "geonames": ("GeoNames", "https://www.geonames.org/{}/"),
}


def records(identifiers) -> list[dict]:
    """The identifiers an entry has, in a fixed order: [{authority, label, id, url}]."""
    found = []
    for name, (label, address) in AUTHORITIES.items():
        value = getattr(identifiers, name)
        if value:
            found.append({"authority": name, "label": label, "id": value, "url": address.format(value)})
    return found
