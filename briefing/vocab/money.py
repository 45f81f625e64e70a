"""Money: currency symbols, codes and names, sub-units, and the plausible exchange-rate bands.

Every currency the tool knows is here and nowhere else: a new currency is a line in these tables
(a symbol in CURRENCY_PREFIXES, a code in CURRENCY_CODES, a name in CURRENCY_NAMES, a band in
PER_USD), and the figure ledger, the checks and the extractive engine's cues all read it from here.
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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
# Sub-units glued to the digits: "1p a pint", "7p on 20 cigarettes" (lower case only: 7P is no price).
GLUED_SUBUNITS = {"p": ("GBP", "0.01")}
# An ambiguous tag is satisfied by any of these codes (and by itself).
CURRENCY_COMPATIBLE = {"$": frozenset({"$", "USD"}), "¥": frozenset({"¥", "JPY", "CNY"})}
# Names that need a scale word before them to count as money ("5 billion won", not "they won").
WEAK_CURRENCY_NAMES = frozenset({"won", "real", "rand", "lira"})


# Plausible rates ------------------------------------------------------------------------------------
# Units of a currency per US dollar: the widest band seen since 2000, with a margin (a conversion in an
# article outside its band is reported as a note on the source).
PER_USD: dict[str, tuple[float, float]] = {
    "CAD": (0.9, 1.7), "EUR": (0.6, 1.3), "GBP": (0.45, 1.0), "JPY": (70, 170), "CNY": (5.8, 8.6),
    "INR": (38, 100), "AUD": (0.85, 2.1), "NZD": (1.1, 2.6), "CHF": (0.7, 1.9), "RUB": (22, 150),
    "UAH": (4.5, 46), "KRW": (880, 1600), "BRL": (1.5, 6.5), "MXN": (8.5, 26), "HKD": (7.7, 7.9),
    "SGD": (1.2, 1.9), "SEK": (5.8, 11.5), "NOK": (5.0, 11.5), "PLN": (2.0, 4.7), "TRY": (1.1, 45),
    "ZAR": (5.5, 20), "ILS": (3.0, 5.0),
}  # fmt: skip
US_DOLLAR = frozenset({"USD", "$"})

# Derived: never edit below, edit the tables above ----------------------------------------------------
# The symbols (not letters) that can stand for money: "$", "€", "£", "¥", "₹", ...
SYMBOLS = "".join(sorted({c for prefix in CURRENCY_PREFIXES for c in prefix if not c.isalnum() and c != "."}))
# A regex character class of the symbols, "$" first ("[$€£...]"), for patterns written elsewhere.
SYMBOL_CLASS = "[" + "".join(sorted(SYMBOLS, key=lambda c: c != "$")).replace("\\", "\\\\") + "]"
SYMBOL_CHARS = frozenset(SYMBOLS)
SYMBOL_PATTERN = re.compile(SYMBOL_CLASS)
