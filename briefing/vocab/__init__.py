"""Every word list of the tool, as data, each in exactly one place.

numbers.py (number words, scales, units, qualifiers, what a count counts), money.py (currencies),
dates.py (calendar words), places.py (countries, aliases, seats of power, bodies), characters.py
(control, bidi and invisible characters, quotation marks, dashes). The layers import from here; none keeps a
private copy (tests/vocab/test_vocab.py checks both).
"""
