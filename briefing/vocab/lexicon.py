"""The words the figure ledger reads: number words, scales, currencies, units, qualifiers, months.

Data only, in one place, so that a new currency or unit is a one-line change.
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
# Spelled-out ordinals read as figures. "first" and "second" are left out: they are idioms far more
# often than figures ("for the first time", "second-largest", "at first"), and a brief's "first visit"
# must not be held against a source that has none.
ORDINALS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
    "thirtieth": 30, "fiftieth": 50, "hundredth": 100,
}  # fmt: skip

# Currencies -------------------------------------------------------------------------------------
# Written before the amount: symbol or code -> ISO 4217 code, or an ambiguous tag ("$", "¥").
CURRENCY_PREFIXES = {
    "US$": "USD", "U.S.$": "USD", "USD$": "USD", "$US": "USD", "CAD$": "CAD", "NZD$": "NZD", "C$": "CAD",
    "CA$": "CAD", "CAN$": "CAD", "Can$": "CAD", "CDN$": "CAD", "Cdn$": "CAD", "A$": "AUD", "AU$": "AUD",
    "AUD$": "AUD", "HKD$": "HKD", "SGD$": "SGD",
    "NZ$": "NZD", "HK$": "HKD", "S$": "SGD", "SG$": "SGD", "R$": "BRL", "MX$": "MXN", "NT$": "TWD",
    "$": "$", "€": "EUR", "£": "GBP", "¥": "¥", "₹": "INR", "₩": "KRW", "₽": "RUB", "₴": "UAH",
    "₺": "TRY", "₦": "NGN", "₱": "PHP", "₪": "ILS", "Rs": "INR", "Rs.": "INR",
}  # fmt: skip
CURRENCY_CODES = _words(
    "USD CAD EUR GBP JPY CNY RMB INR AUD NZD CHF RUB UAH KRW BRL MXN HKD SGD SEK NOK DKK PLN TRY ZAR "
    "NGN SAR AED ILS EGP PKR TWD THB IDR MYR PHP VND ARS CLP COP CZK HUF RON KES GHS QAR KWD"
)
CODE_ALIASES = {"RMB": "CNY"}
# Written after the amount (longest first when matching): name -> code or ambiguous tag.
CURRENCY_NAMES = {
    "canadian dollars": "CAD", "canadian dollar": "CAD", "us dollars": "USD", "u.s. dollars": "USD",
    "us dollar": "USD", "u.s. dollar": "USD", "american dollars": "USD", "australian dollars": "AUD",
    "australian dollar": "AUD", "new zealand dollars": "NZD", "hong kong dollars": "HKD",
    "singapore dollars": "SGD", "taiwan dollars": "TWD", "dollars": "$", "dollar": "$",
    "euros": "EUR", "euro": "EUR", "pounds sterling": "GBP", "british pounds": "GBP", "sterling": "GBP",
    "yen": "JPY", "japanese yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "chinese yuan": "CNY",
    "indian rupees": "INR", "rupees": "INR", "rupee": "INR", "pakistani rupees": "PKR",
    "roubles": "RUB", "rubles": "RUB", "rouble": "RUB", "ruble": "RUB", "hryvnias": "UAH",
    "hryvnia": "UAH", "hryvnas": "UAH", "swiss francs": "CHF", "francs": "CHF", "south korean won": "KRW",
    "won": "KRW", "zlotys": "PLN", "zloty": "PLN", "kronor": "SEK", "krona": "SEK", "kroner": "NOK",
    "rand": "ZAR", "naira": "NGN", "riyals": "SAR", "dirhams": "AED", "shekels": "ILS", "lira": "TRY",
    "reais": "BRL", "real": "BRL", "pesos": "peso", "peso": "peso",
}  # fmt: skip
# Names that are money only after a scale word ("5 million pounds"; "5 pounds" is a weight).
SCALED_CURRENCY_NAMES = {"pounds": "GBP", "pound": "GBP"}
# Fractional units: name -> (currency, factor). "25 cents" is $0.25.
SUBUNITS = {"cents": ("$", "0.01"), "cent": ("$", "0.01"), "pence": ("GBP", "0.01"),
            "kopecks": ("RUB", "0.01")}  # fmt: skip
# An ambiguous tag is satisfied by any of these codes (and by itself).
CURRENCY_COMPATIBLE = {"$": frozenset({"$", "USD"}), "¥": frozenset({"¥", "JPY", "CNY"})}
# Names that need a scale word before them to count as money ("5 billion won", not "they won").
WEAK_CURRENCY_NAMES = frozenset({"won", "real", "rand", "lira"})

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

# Dates ------------------------------------------------------------------------------------------
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
# Months that are also ordinary words: on their own, a date only after a time preposition.
AMBIGUOUS_MONTHS = frozenset({"may", "march"})
TIME_PREPOSITIONS = _words("in on since until till by from to through during before after last next "
                           "this early late mid of every each")  # fmt: skip

# A capitalised word right before a number makes it a name, not a figure ("Boeing 787", "Article 5"),
# unless it is one of these ordinary words.
NOT_NAMES = _words("""a about above after against all almost also an and another any approximately around as at before
    below between both but by close during each either estimated every fewer for from further however
    in including just less more most much nearly neither no nor not of on only or our over roughly
    same several since so some than that the their these this those through to total under until up
    upwards versus via we what when while with within without yet another just exactly only another
    its his her my your they he she it some over fully if now then still even where here there each every
    than plus minus""")
WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
# Words that always make the following number a name or identifier, even at a sentence start.
NAME_WORDS = _words("""article articles section sections chapter clause paragraph resolution flight route highway
    interstate boeing airbus model windows iphone ipad galaxy pixel level phase stage category gate
    terminal platform channel round volume vol episode season game no nos number apollo vision agenda
    cop grade class type version bill act room pier block unit ward district lot tower building
    formula ios android macos ps playstation xbox su mig""")
# Number words never read on their own: they are figures only before a scale, currency or unit.
WEAK_NUMBER_WORDS = frozenset({"one", "a", "an"})
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
