"""People a register names, matched among the people Flywheel knows, never invented.

Pure: a register writes a person as an e-mail, a user name, or a name, often with a title
("Dana Whitfield (COO)", "Whitfield, Dana", "Dana Whitfield - COO"). Names are compared
without case or accents. A new person gets a user name Django accepts, derived from the
e-mail or the name.
"""

import re
import unicodedata
from dataclasses import dataclass, field

_TITLE = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]\s*")
_DASH_TITLE = re.compile("\\s+[-\u2013\u2014/|]\\s+.*$")
_USERNAME = re.compile(r"[^\w.@+-]+", re.ASCII)
USERNAME_MAX = 150


def fold(text: str) -> str:
    """Lower case, accents and punctuation gone, single spaces: 'Zoë  O'Brien' -> 'zoe o brien'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9@.]+", " ", bare.casefold()).strip()


def name_candidates(identifier: str) -> list[str]:
    """The folded names a cell may mean, most likely first: without its title in brackets or
    after a dash; 'Last, First' also as 'First Last'; 'Name, Title' also as 'Name'."""
    bare = _DASH_TITLE.sub("", _TITLE.sub(" ", identifier)).strip()
    names = [bare]
    if "," in bare:
        head, _, tail = bare.partition(",")
        names += [f"{tail.strip()} {head.strip()}", head.strip()]
    return [n for n in dict.fromkeys(fold(n) for n in names) if n]


@dataclass
class PeopleIndex:
    """People by e-mail, user name and full name (folded); a name two people share is
    ambiguous and matches nobody."""

    by_login: dict = field(default_factory=dict)
    by_name: dict = field(default_factory=dict)

    def add(self, *, user, username: str, email: str, first_name: str, last_name: str) -> None:
        self.by_login.setdefault(username.casefold(), user)
        if email:
            self.by_login.setdefault(email.casefold(), user)
        full = fold(f"{first_name} {last_name}")
        if first_name and last_name:
            self.by_name.setdefault(full, {})[user.pk] = user

    def match(self, identifier: str):
        """(user, how) for the person a cell names; (None, "ambiguous") when a name belongs to
        several people; (None, "") when it names nobody."""
        raw = identifier.strip()
        user = self.by_login.get(raw.casefold())
        if user is not None:
            return user, "e-mail" if "@" in raw else "user name"
        for name in name_candidates(raw):
            if name in self.by_login:
                return self.by_login[name], "user name"
            users = list(self.by_name.get(name, {}).values())
            if len(users) == 1:
                return users[0], "name"
            if len(users) > 1:
                return None, "ambiguous"
        return None, ""


def person_key(identifier: str) -> str:
    """One key for the ways a file writes the same new person."""
    raw = identifier.strip()
    return raw.casefold() if "@" in raw else (name_candidates(raw) or [fold(raw)])[0]


def username_for(identifier: str, taken) -> str:
    """A user name Django accepts (letters, digits and @.+-_): the e-mail's local part or
    'first.last', with a number added while ``taken(name)`` says it is used."""
    raw = identifier.strip()
    if "@" in raw:
        base = raw.split("@")[0]
    else:
        base = ".".join((name_candidates(raw) or [fold(raw)])[0].split())
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    base = _USERNAME.sub(".", base).strip(".").lower()[: USERNAME_MAX - 4] or "person"
    name, number = base, 1
    while taken(name):
        number += 1
        name = f"{base}{number}"
    return name


def split_name(identifier: str) -> tuple[str, str]:
    """First and last name of a new person named by a cell (nothing for an e-mail)."""
    if "@" in identifier:
        return "", ""
    bare = _DASH_TITLE.sub("", _TITLE.sub(" ", identifier)).strip()
    if "," in bare:
        head, _, tail = bare.partition(",")
        if len(tail.split()) == 1 and len(head.split()) == 1:
            return tail.strip(), head.strip()
        bare = head
    first, _, last = bare.strip().rpartition(" ")
    return (first, last) if first else (last, "")
