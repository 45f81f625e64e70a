"""Places: countries with their demonyms, other names (capitals, abbreviations) and seats of power, the
international bodies that act like them, and political parties with the other names a news text uses
for them ("Tory", "the Conservatives": "a future Tory government" is the party's). Read by the checks
(who acts in a sentence) and by the extractive engine (who the article's actors are). A new country,
party or alias is a line here.
"""

from __future__ import annotations

__all__ = [
    "ADJECTIVES",
    "BODIES",
    "BODY_NOUNS",
    "DEMONYMS",
    "GENERIC_HEADS",
    "METONYMS",
    "ONE_WORD_BODIES",
    "OTHER_NAMES",
    "PARTIES",
    "PLACE_HEADS",
    "alias_table",
    "aliases_of",
]

# Country -> demonym. The first name is the one a brief uses.
DEMONYMS: dict[str, str] = {
    "Afghanistan": "Afghan",
    "Albania": "Albanian",
    "Algeria": "Algerian",
    "Argentina": "Argentine",
    "Armenia": "Armenian",
    "Australia": "Australian",
    "Austria": "Austrian",
    "Azerbaijan": "Azerbaijani",
    "Bangladesh": "Bangladeshi",
    "Belarus": "Belarusian",
    "Belgium": "Belgian",
    "Bolivia": "Bolivian",
    "Bosnia": "Bosnian",
    "Brazil": "Brazilian",
    "Bulgaria": "Bulgarian",
    "Cambodia": "Cambodian",
    "Cameroon": "Cameroonian",
    "Canada": "Canadian",
    "Chile": "Chilean",
    "China": "Chinese",
    "Colombia": "Colombian",
    "Croatia": "Croatian",
    "Cuba": "Cuban",
    "Cyprus": "Cypriot",
    "Czech Republic": "Czech",
    "Denmark": "Danish",
    "Ecuador": "Ecuadorian",
    "Egypt": "Egyptian",
    "Estonia": "Estonian",
    "Ethiopia": "Ethiopian",
    "Finland": "Finnish",
    "France": "French",
    "Georgia": "Georgian",
    "Germany": "German",
    "Ghana": "Ghanaian",
    "Greece": "Greek",
    "Hungary": "Hungarian",
    "Iceland": "Icelandic",
    "India": "Indian",
    "Indonesia": "Indonesian",
    "Iran": "Iranian",
    "Iraq": "Iraqi",
    "Ireland": "Irish",
    "Israel": "Israeli",
    "Italy": "Italian",
    "Japan": "Japanese",
    "Jordan": "Jordanian",
    "Kazakhstan": "Kazakh",
    "Kenya": "Kenyan",
    "Kuwait": "Kuwaiti",
    "Latvia": "Latvian",
    "Lebanon": "Lebanese",
    "Libya": "Libyan",
    "Lithuania": "Lithuanian",
    "Malaysia": "Malaysian",
    "Mexico": "Mexican",
    "Moldova": "Moldovan",
    "Morocco": "Moroccan",
    "Myanmar": "Burmese",
    "Nepal": "Nepalese",
    "Netherlands": "Dutch",
    "New Zealand": "New Zealand",
    "Nigeria": "Nigerian",
    "North Korea": "North Korean",
    "Norway": "Norwegian",
    "Pakistan": "Pakistani",
    "Palestine": "Palestinian",
    "Peru": "Peruvian",
    "Philippines": "Filipino",
    "Poland": "Polish",
    "Portugal": "Portuguese",
    "Qatar": "Qatari",
    "Romania": "Romanian",
    "Russia": "Russian",
    "Saudi Arabia": "Saudi",
    "Serbia": "Serbian",
    "Singapore": "Singaporean",
    "Slovakia": "Slovak",
    "Slovenia": "Slovenian",
    "Somalia": "Somali",
    "South Africa": "South African",
    "South Korea": "South Korean",
    "Spain": "Spanish",
    "Sri Lanka": "Sri Lankan",
    "Sudan": "Sudanese",
    "Sweden": "Swedish",
    "Switzerland": "Swiss",
    "Syria": "Syrian",
    "Taiwan": "Taiwanese",
    "Thailand": "Thai",
    "Tunisia": "Tunisian",
    "Turkey": "Turkish",
    "Ukraine": "Ukrainian",
    "United Arab Emirates": "Emirati",
    "United Kingdom": "British",
    "United States": "American",
    "Uruguay": "Uruguayan",
    "Uzbekistan": "Uzbek",
    "Venezuela": "Venezuelan",
    "Vietnam": "Vietnamese",
    "Yemen": "Yemeni",
    "Zimbabwe": "Zimbabwean",
}
# Country -> other names a news text uses for it or its government: abbreviations, capitals.
OTHER_NAMES: dict[str, tuple[str, ...]] = {
    "Canada": ("Ottawa",),
    "United States": (
        "U.S.",
        "US",
        "USA",
        "America",
        "Washington",
    ),
    "United Kingdom": (
        "UK",
        "U.K.",
        "Britain",
        "Great Britain",
        "London",
    ),
    "Ukraine": (
        "Kyiv",
        "Kiev",
    ),
    "Russia": ("Moscow",),
    "France": ("Paris",),
    "Germany": ("Berlin",),
    "Poland": ("Warsaw",),
    "Latvia": ("Riga",),
    "Lithuania": ("Vilnius",),
    "Estonia": ("Tallinn",),
    "China": ("Beijing",),
    "Japan": ("Tokyo",),
    "India": (
        "New Delhi",
        "Delhi",
    ),
    "Italy": ("Rome",),
    "Spain": ("Madrid",),
    "Netherlands": ("The Hague",),
    "Sweden": ("Stockholm",),
    "Norway": ("Oslo",),
    "Finland": ("Helsinki",),
    "Denmark": ("Copenhagen",),
    "Turkey": (
        "Ankara",
        "Türkiye",
    ),
    "Israel": ("Jerusalem",),
    "Iran": ("Tehran",),
    "Syria": ("Damascus",),
    "Iraq": ("Baghdad",),
    "Saudi Arabia": ("Riyadh",),
    "Egypt": ("Cairo",),
    "Australia": ("Canberra",),
    "New Zealand": ("Wellington",),
    "Mexico": ("Mexico City",),
    "Brazil": ("Brasilia",),
    "South Korea": ("Seoul",),
    "North Korea": ("Pyongyang",),
    "Pakistan": ("Islamabad",),
    "South Africa": ("Pretoria",),
    "Afghanistan": ("Kabul",),
}
# Seats of power that stand for a government ("the Kremlin said").
METONYMS: dict[str, str] = {
    "Kremlin": "Russia",
    "White House": "United States",
    "Pentagon": "United States",
    "Downing Street": "United Kingdom",
    "Elysee": "France",
    "Élysée": "France",
    "Whitehall": "United Kingdom",
    "Capitol Hill": "United States",
    "Foggy Bottom": "United States",
    "Zhongnanhai": "China",
}
# Adjectives of place or people (and plural demonyms, parties) that are not actors on their own.
ADJECTIVES: tuple[str, ...] = tuple(
    [
        "European",
        "Arab",
        "Western",
        "Eastern",
        "Asian",
        "African",
        "Latin",
        "Nordic",
        "Baltic",
        "Balkan",
        "Middle",
        "Northern",
        "Southern",
        "Gulf",
        "Pacific",
        "Atlantic",
        "Muslim",
        "Christian",
        "Jewish",
        "Catholic",
        "Democratic",
        "Republican",
        "Conservative",
        "Liberal",
        "Labour",
        "Islamic",
        "Kurdish",
        "Sunni",
        "Shiite",
        "Americans",
        "Europeans",
        "Israelis",
        "Palestinians",
    ]
)
# International bodies -> other names they go by.
BODIES: dict[str, tuple[str, ...]] = {
    "European Union": ("EU", "E.U.", "Brussels", "European Commission"),
    "NATO": ("North Atlantic Treaty Organization", "Nato", "alliance"),
    "United Nations": ("UN", "U.N."),
}


def aliases_of() -> dict[str, tuple[str, ...]]:
    """Country or body -> every other name of it: demonym, other names, seats of power."""
    out: dict[str, list[str]] = {
        country: [demonym] if demonym != country else [] for country, demonym in DEMONYMS.items()
    }
    for country, names in OTHER_NAMES.items():
        out.setdefault(country, []).extend(names)
    for seat, country in METONYMS.items():
        out.setdefault(country, []).append(seat)
    for body, names in BODIES.items():
        out.setdefault(body, []).extend(names)
    return {name: tuple(dict.fromkeys(others)) for name, others in out.items()}


def alias_table() -> dict[str, str]:
    """Other name -> the country it stands for (abbreviations and capitals; not demonyms or seats)."""
    return {alias: country for country, names in OTHER_NAMES.items() for alias in names}


# Parties and words of reference ------------------------------------------------------------------
# Party -> other names for it (its members, its adjective, its short forms).
PARTIES: dict[str, tuple[str, ...]] = {
    "Conservative Party": ("Conservatives", "Conservative", "Tory", "Tories", "Tory party", "Tory Party"),
    "Labour Party": ("Labour", "New Labour"),
    "Liberal Democrats": ("Liberal Democrat", "Lib Dems", "Lib Dem", "Liberal Democrat Party"),
    "Scottish National Party": ("SNP", "Nationalists"),
    "Plaid Cymru": ("Plaid",),
    "UK Independence Party": ("UKIP", "Ukip"),
    "Green Party": ("Greens",),
    "Democratic Party": ("Democrats", "Democrat"),
    "Republican Party": ("Republicans", "Republican", "GOP"),
}

# Head words of bodies' names that name one body on their own ("the Treasury", "Congress", "the
# Kremlin"); any other head word alone ("Government", "Hospital", "Office", "Party") is a common noun.
ONE_WORD_BODIES = frozenset(
    "Cabinet Parliament Congress Senate Treasury Navy Army Kremlin Pentagon Whitehall Elysee Élysée Zhongnanhai "
    "Taliban Hamas Hezbollah Commons Lords Reserve".split()
)

# Nouns that, after "the" ("the government", "the party"), refer back to a body already named.
BODY_NOUNS = frozenset(
    "government administration party commission watchdog committee council board department ministry agency "
    "company firm bank union group coalition alliance regulator authority cabinet treasury opposition "
    "organisation organization body executive assembly".split()
)

# The last word of an actor that names what kind of body or people it is, not which ("Italian government",
# "Bush administration", "Council leaders"): dropped to find the actor's own name.
GENERIC_HEADS = frozenset(
    "government governments administration authorities officials ministers minister leaders leader spokesman "
    "spokeswoman donors members campaigners critics officers chiefs executives".split()
)

# The last word of a name that makes it a place or an event, not a person ("Gateshead's Sage Centre").
PLACE_HEADS = frozenset(
    "Centre Center Hall Street Road House Square Park Conference Summit Stadium Airport Station Bridge Palace "
    "Castle Arena Forum Club Hotel Building Tower Avenue Festival Games Cup Awards".split()
)
