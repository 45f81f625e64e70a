"""Number words, scales, ordinals, percent words, units of measure, qualifiers, and the words around
a count (what it counts, and what makes a number a name). Read by the figure ledger (briefing/ledger/).
"""

from __future__ import annotations

from decimal import Decimal


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Number words -----------------------------------------------------------------------------------
UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
SCALES = {
    "thousand": Decimal(10) ** 3, "million": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
    "trillion": Decimal(10) ** 12,
}  # fmt: skip
# Abbreviated scales written after digits: 5k, 2bn, 3.5 mn, 1tn.
SCALE_ABBREVIATIONS = {
    "k": Decimal(10) ** 3, "thousand": Decimal(10) ** 3, "m": Decimal(10) ** 6, "mn": Decimal(10) ** 6,
    "mln": Decimal(10) ** 6, "mio": Decimal(10) ** 6, "million": Decimal(10) ** 6,
    "b": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "bln": Decimal(10) ** 9, "billion": Decimal(10) ** 9,
    "tn": Decimal(10) ** 12, "trn": Decimal(10) ** 12, "trillion": Decimal(10) ** 12,
}  # fmt: skip
# Single letters that are a scale only when glued to the digits ("5m", "$2b"); "b" only for money.
MONEY_ONLY_SCALES = frozenset({"b"})
GLUED_ONLY_SCALES = frozenset({"k", "m", "b"})
# Fractions: a numerator word, then one of these ("two thirds", "three-quarters", "a quarter of a
# million"). A plural is always a fraction; a singular only before "of" ("a third of voters", not
# "a third term"). The numerators are UNITS and FRACTION_ONE.
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
    "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9,
    "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
FRACTION_ONE = frozenset({"a", "an", "one"})
# Words that join two amounts, read even when a typo glues them to the first ("£5,001and £10,000").
GLUED_JOINTS = ("and", "to", "or")
# Vague multiples of a plural scale: "tens of thousands" is 10,000 to 100,000.
VAGUE_MULTIPLES = {"tens": 10, "hundreds": 100}
# Spelled-out ordinals read as figures. "first" and "second" are left out: they are idioms far more
# often than figures ("for the first time", "second-largest", "at first"), and a brief's "first visit"
# must not be held against a source that has none.
ORDINALS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "thirtieth": 30, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip

# Percent ----------------------------------------------------------------------------------------
PERCENT_WORDS = {"percentage points": "pp", "percentage point": "pp", "percent": "%", "per cent": "%", "pct": "%"}

# Measurement units: word -> canonical unit. Durations count as quantities.
MEASURES = {
    "km": "km", "kilometres": "km", "kilometers": "km", "kilometre": "km", "kilometer": "km",
    "miles": "mile", "mile": "mile", "metres": "m", "meters": "m", "metre": "m", "meter": "m",
    "feet": "foot", "foot": "foot", "ft": "foot", "inches": "inch", "inch": "inch", "cm": "cm", "mm": "mm",
    "tonnes": "tonne", "tonne": "tonne", "tons": "tonne", "ton": "tonne", "kg": "kg", "kilograms": "kg",
    "kilogram": "kg", "lbs": "pound", "pounds": "pound", "grams": "g", "barrels": "barrel",
    "barrel": "barrel", "bpd": "barrel/day", "mw": "MW", "megawatts": "MW", "megawatt": "MW",
    "gw": "GW", "gigawatts": "GW", "gigawatt": "GW", "kwh": "kWh", "twh": "TWh", "acres": "acre",
    "acre": "acre", "hectares": "hectare", "hectare": "hectare", "litres": "litre", "liters": "litre",
    "litre": "litre", "liter": "litre", "gallons": "gallon", "gallon": "gallon", "degrees": "degree",
    "degree": "degree", "mph": "mph", "km/h": "km/h", "seconds": "second", "second": "second",
    "minutes": "minute", "minute": "minute", "hours": "hour", "hour": "hour", "days": "day", "day": "day",
    "weeks": "week", "week": "week", "months": "month", "month": "month", "years": "year", "year": "year",
    "decades": "decade", "decade": "decade", "square kilometres": "km²", "square kilometers": "km²",
    "square miles": "mile²", "square feet": "foot²", "sq ft": "foot²", "knots": "knot", "knot": "knot",
    "nautical miles": "nautical mile", "nautical mile": "nautical mile", "kilowatts": "kW", "kw": "kW",
    "terawatt-hours": "TWh", "gigawatt-hours": "GWh", "gwh": "GWh", "mwh": "MWh",
    "points": "point", "point": "point", "basis points": "bp", "bps": "bp", "cubic metres": "m³", "cubic meters": "m³",
}  # fmt: skip

# Qualifiers, before or after the number ---------------------------------------------------------
QUALIFIERS_BEFORE = {
    "approximately": "approximate", "approx.": "approximate", "about": "approximate",
    "around": "approximate", "roughly": "approximate", "nearly": "approximate", "almost": "approximate",
    "some": "approximate", "close to": "approximate", "an estimated": "approximate",
    "estimated": "approximate", "circa": "approximate", "c.": "approximate", "~": "approximate",
    "just over": "approximate", "just under": "approximate", "upwards of": "more_than",
    "more than": "more_than", "over": "more_than", "above": "more_than", "in excess of": "more_than",
    "exceeding": "more_than", "greater than": "more_than", "at least": "at_least",
    "no fewer than": "at_least", "no less than": "at_least", "a minimum of": "at_least",
    "fewer than": "less_than", "less than": "less_than", "under": "less_than", "below": "less_than",
    "lower than": "less_than", "up to": "up_to", "as many as": "up_to", "as much as": "up_to",
    "at most": "up_to", "no more than": "up_to", "a maximum of": "up_to", "maximum of": "up_to",
}  # fmt: skip
QUALIFIERS_AFTER = {"or more": "at_least", "or so": "approximate", "or fewer": "up_to", "or less": "up_to",
                    "plus": "more_than", "+": "more_than"}  # fmt: skip

# A capitalised word right before a number makes it a name, not a figure ("Boeing 787", "Article 5"),
# unless it is one of these ordinary words.
NOT_NAMES = _words("""a about above after against all almost also an and another any approximately around as at before
    below between both but by close during each either estimated every fewer for from further however
    in including just less more most much nearly neither no nor not of on only or our over roughly
    same several since so some than that the their these this those through to total under until up
    upwards versus via we what when while with within without yet another just exactly only another
    its his her my your they he she it some over fully if now then still even where here there each every
    than plus minus""")
# Words that always make the following number a name or identifier, even at a sentence start.
NAME_WORDS = _words("""article articles section sections chapter clause paragraph resolution flight route highway
    interstate boeing airbus model windows iphone ipad galaxy pixel level phase stage category gate
    terminal platform channel round volume vol episode season game no nos number apollo vision agenda
    cop grade class type version bill act room pier block unit ward district lot tower building
    formula ios android macos ps playstation xbox su mig""")
# Number words never read on their own: they are figures only before a scale, currency or unit.
WEAK_NUMBER_WORDS = frozenset({"one", "a", "an"})
# After these, a small number word counts a group already named, so what it counts is left open: "the
# two leaders" restates "the leaders of the two parties".
DEFINITE_GROUP = frozenset({"the", "these", "those"})
# Words after "first" / "second" that make it no count: "first-ever", "second-largest", "first half".
NOT_ORDINAL_AFTER = _words("ever hand class rate degree half quarter place time largest biggest")

# Words that end the noun phrase after a count: "30 nations", but not "30 last year" or "30 were".
NOUN_STOPWORDS = _words(
    """a an the of in to and or for on at by with from as than that which who whom whose is are was were
    be been being has have had will would could should may might can must do does did per each this these
    those its their his her our your my percent cent times time last next this ago earlier later now today
    yesterday tomorrow since before after during while when where until so but not no nor only just also
    more less most least other others such into onto over under about around up down out off than then
    there here all both either neither every some any many much few several again already still even
    year years month months week weeks day days decade decades million billion thousand trillion hundred
    dozen said say says according"""
)
# Nouns a count may be restated with ("30 nations" / "30 countries").
NOUN_SYNONYMS = (
    frozenset({"nation", "country", "state", "member", "ally"}),
    frozenset({"troop", "soldier", "personnel", "service member", "servicemember"}),
    frozenset({"person", "people", "individual"}),
    frozenset({"jet", "aircraft", "plane", "fighter", "warplane"}),
    frozenset({"worker", "employee", "staff", "job"}),
    frozenset({"company", "firm", "business"}),
    frozenset({"car", "vehicle", "automobile"}),
    frozenset({"death", "fatality", "dead", "killed"}),
)
# "people" restates any count of people ("162 people" for "162 passengers"), not the reverse.
GENERIC_HUMAN = frozenset({"person", "people", "individual"})
HUMAN_NOUNS = _words(
    """passenger worker employee soldier troop resident civilian student patient victim child adult voter
    member official staff personnel migrant refugee citizen customer user fan player teacher doctor nurse
    officer survivor prisoner hostage casualty inmate volunteer protester demonstrator man woman men women
    children adult parent family household applicant recruit visitor tourist subscriber"""
)
