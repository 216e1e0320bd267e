"""The unit vocabulary of numeric claims: what a word after (or a sign before) a number measures.

Each entry maps a written form to ``(stored unit, pint unit or None)``: physical quantities are
converted with ``pint`` into one stored unit per family (lengths to ``km`` or ``m``, areas to ``km2``
or ``m2``, masses to ``kg``, volumes to ``l``, temperatures to ``degC``, speeds to ``km/h``, data to
``GB``); currencies are stored by ISO 4217 code with no conversion; durations keep their own unit.
Analysts extend the vocabulary here.
"""

from __future__ import annotations

from functools import lru_cache

# Currency signs and prefixed dollars written before a number.
CURRENCY_SIGNS = {
    "$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₴": "UAH", "₪": "ILS", "₩": "KRW",
    "HK$": "HKD", "A$": "AUD", "AU$": "AUD", "C$": "CAD", "CA$": "CAD", "NZ$": "NZD", "S$": "SGD", "R$": "BRL", "Rs": "INR",
    "Rs.": "INR", "Mex$": "MXN", "元": "CNY", "₡": "CRC", "₾": "GEL", "₭": "LAK", "฿": "THB", "₫": "VND", "₦": "NGN",
    "₱": "PHP", "₿": "BTC", "zł": "PLN",
}
# Letters written before "$" that say whose dollar it is ("c $ 300 million", "nzd$15", "Mex$ 10").
DOLLAR_PREFIXES = {"us": "USD", "usd": "USD", "hk": "HKD", "hkd": "HKD", "c": "CAD", "ca": "CAD", "cad": "CAD", "a": "AUD",
                   "au": "AUD", "aud": "AUD", "nz": "NZD", "nzd": "NZD", "s": "SGD", "sgd": "SGD", "mex": "MXN", "mxn": "MXN",
                   "r": "BRL"}
# ISO codes written as words ("USD 5", "5 EUR").
ISO_CODES = frozenset({
    "USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "RUB", "UAH", "ILS", "KRW", "HKD", "AUD", "CAD", "NZD", "SGD", "CHF",
    "SEK", "NOK", "DKK", "PLN", "TRY", "BRL", "MXN", "ZAR", "AED", "SAR", "BTC",
})
# Currency names (singular and plural, lower case) → ISO code. A bare "dollar" is the US dollar
# unless the outlet's country says otherwise (see ``dollar_for``).
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "sterling": "GBP", "yen": "JPY", "yuan": "CNY",
    "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "rouble": "RUB", "roubles": "RUB", "ruble": "RUB", "rubles": "RUB",
    "hryvnia": "UAH", "hryvnias": "UAH", "hryvnas": "UAH", "shekel": "ILS", "shekels": "ILS", "won": "KRW",
    "franc": "CHF", "francs": "CHF", "lira": "TRY", "liras": "TRY", "peso": "MXN", "pesos": "MXN", "rand": "ZAR",
    "real": "BRL", "reais": "BRL", "krona": "SEK", "kronor": "SEK", "krone": "NOK", "kroner": "NOK", "zloty": "PLN",
    "dirham": "AED", "dirhams": "AED", "riyal": "SAR", "riyals": "SAR", "bitcoin": "BTC", "bitcoins": "BTC",
    "pound": "GBP", "pounds": "GBP", "quid": "GBP", "markka": "FIM", "markkaa": "FIM", "peseta": "ESP", "pesetas": "ESP",
    "guilder": "NLG", "guilders": "NLG", "deutschmark": "DEM", "deutschmarks": "DEM", "lire": "ITL", "drachma": "GRD",
    "drachmas": "GRD", "escudo": "PTE", "escudos": "PTE", "kuai": "CNY", "naira": "NGN", "baht": "THB",
}
# Adjectives that make a dollar (or pound, franc, peso) another country's currency.
CURRENCY_ADJECTIVES = {
    ("canadian", "dollar"): "CAD", ("australian", "dollar"): "AUD", ("hong", "dollar"): "HKD", ("zealand", "dollar"): "NZD",
    ("singapore", "dollar"): "SGD", ("taiwan", "dollar"): "TWD", ("us", "dollar"): "USD", ("u.s.", "dollar"): "USD",
    ("american", "dollar"): "USD", ("swiss", "franc"): "CHF", ("mexican", "peso"): "MXN", ("egyptian", "pound"): "EGP",
    ("turkish", "lira"): "TRY", ("south", "rand"): "ZAR", ("chinese", "yuan"): "CNY", ("japanese", "yen"): "JPY",
}
# Hundredths of a currency: the value is stored in the currency.
SUBUNITS = {"cent": ("USD", 0.01), "cents": ("USD", 0.01), "penny": ("GBP", 0.01), "pence": ("GBP", 0.01), "p": ("GBP", 0.01)}
# The outlet's country (by the top-level domain of its URL) decides what a bare "$" is.
DOLLAR_BY_DOMAIN = {"au": "AUD", "ca": "CAD", "nz": "NZD", "hk": "HKD", "sg": "SGD", "tw": "TWD"}

PERCENT_WORDS = frozenset({"%", "percent", "pc", "pct", "percentage"})
MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9,
    "b": 1e9, "trillion": 1e12, "tn": 1e12, "crore": 1e7, "lakh": 1e5,
}

# Physical units: written form (lower case, or exact for case-sensitive abbreviations) → (stored unit, pint unit).
_LENGTH_LARGE = {"km": "km", "kms": "km", "kilometre": "km", "kilometres": "km", "kilometer": "km", "kilometers": "km",
                 "mile": "mile", "miles": "mile", "mi": "mile", "nautical mile": "nautical_mile", "nautical miles": "nautical_mile"}
_LENGTH_SMALL = {"m": "m", "metre": "m", "metres": "m", "meter": "m", "meters": "m", "cm": "cm", "centimetre": "cm",
                 "centimetres": "cm", "centimeter": "cm", "centimeters": "cm", "mm": "mm", "millimetre": "mm", "millimetres": "mm",
                 "millimeter": "mm", "millimeters": "mm", "foot": "ft", "feet": "ft", "ft": "ft", "inch": "inch", "inches": "inch",
                 "yard": "yard", "yards": "yard", "yd": "yard", "yds": "yard", "decimetre": "dm", "decimetres": "dm",
                 "micrometre": "um", "micrometres": "um", "nanometre": "nm", "nanometres": "nm", "picometre": "pm", "picometres": "pm"}
_AREA = {"hectare": ("km2", "hectare"), "hectares": ("km2", "hectare"), "ha": ("km2", "hectare"), "acre": ("km2", "acre"),
         "acres": ("km2", "acre"), "km²": ("km2", "km**2"), "km2": ("km2", "km**2"), "sq km": ("km2", "km**2"),
         "m²": ("m2", "m**2"), "m2": ("m2", "m**2"), "sq ft": ("m2", "ft**2"), "sq m": ("m2", "m**2")}
_MASS = {"kg": "kg", "kgs": "kg", "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "g": "g", "gram": "g",
         "grams": "g", "mg": "mg", "milligram": "mg", "milligrams": "mg", "microgram": "ug", "micrograms": "ug", "µg": "ug",
         "tonne": "t", "tonnes": "t", "metric ton": "t", "metric tons": "t", "ton": "t", "tons": "t", "kiloton": "kilotonne",
         "kilotons": "kilotonne", "kilotonne": "kilotonne", "kilotonnes": "kilotonne", "megatonne": "Mt", "megatonnes": "Mt", "megaton": "Mt",
         "megatons": "Mt", "gigatonne": "Gt", "gigatonnes": "Gt", "gigaton": "Gt", "gigatons": "Gt", "lb": "lb", "lbs": "lb",
         "ounce": "oz", "ounces": "oz", "oz": "oz", "stone": "stone"}
_VOLUME = {"litre": "l", "litres": "l", "liter": "l", "liters": "l", "l": "l", "ml": "ml", "millilitre": "ml",
           "millilitres": "ml", "milliliter": "ml", "milliliters": "ml", "gallon": "gallon", "gallons": "gallon",
           "cubic metre": "m**3", "cubic metres": "m**3",
           "cubic meter": "m**3", "cubic meters": "m**3", "cubic foot": "ft**3", "cubic feet": "ft**3", "pint": "pint",
           "pints": "pint", "cup": "cup", "cups": "cup", "tablespoon": "tablespoon", "tablespoons": "tablespoon",
           "teaspoon": "teaspoon", "teaspoons": "teaspoon"}
_SPEED = {"km/h": "km/h", "kph": "km/h", "kmh": "km/h", "mph": "mph", "knot": "knot", "knots": "knot",
          "kilometres per hour": "km/h", "kilometers per hour": "km/h", "miles per hour": "mph", "metres per second": "m/s",
          "meters per second": "m/s", "m/s": "m/s"}
_DATA = {"byte": "B", "bytes": "B", "kb": "kB", "kilobyte": "kB", "kilobytes": "kB", "mb": "MB", "megabyte": "MB",
         "megabytes": "MB", "gb": "GB", "gigabyte": "GB", "gigabytes": "GB", "tb": "TB", "terabyte": "TB", "terabytes": "TB",
         "bit": "bit", "bits": "bit", "megabit": "Mbit", "megabits": "Mbit", "gigabit": "Gbit", "gigabits": "Gbit"}
_TEMPERATURE = {"°c": "degC", "°f": "degF", "celsius": "degC", "centigrade": "degC", "fahrenheit": "degF",
                "degrees celsius": "degC", "degrees fahrenheit": "degF", "degrees centigrade": "degC", "degree celsius": "degC",
                "degree fahrenheit": "degF", "degrees c": "degC", "degrees f": "degF", "c": "degC", "f": "degF"}

MEASURES: dict[str, tuple[str, str]] = {
    **{k: ("km", v) for k, v in _LENGTH_LARGE.items()},
    **{k: ("m", v) for k, v in _LENGTH_SMALL.items()},
    **_AREA,
    **{k: ("kg", v) for k, v in _MASS.items()},
    **{k: ("l", v) for k, v in _VOLUME.items()},
    **{k: ("km/h", v) for k, v in _SPEED.items()},
    **{k: ("GB", v) for k, v in _DATA.items()},
    **{k: ("degC", v) for k, v in _TEMPERATURE.items()},
    # Oil is traded in barrels: kept as written.
    "barrel": ("barrel", "barrel"), "barrels": ("barrel", "barrel"), "bbl": ("barrel", "barrel"),
    "dm": ("m", "dm"), "µm": ("m", "um"), "nm": ("m", "nm"),
}
# A length per time written out ("188 miles an hour") is a speed.
PER_HOUR = frozenset({"an hour", "a hour", "per hour", "/h", "/hr", "each hour", "every hour"})
# Written only glued to a number or in this case ("5 C", "30F", "10 M" are not all units otherwise).
CASE_SENSITIVE = frozenset({"m", "g", "l", "c", "f", "b", "p", "t", "mi", "ha", "kb", "mb", "gb", "tb"})

DURATIONS = {
    "second": "second", "seconds": "second", "secs": "second", "minute": "minute", "minutes": "minute", "mins": "minute",
    "hour": "hour", "hours": "hour", "hrs": "hour", "day": "day", "days": "day", "week": "week", "weeks": "week",
    "month": "month", "months": "month", "year": "year", "years": "year", "yrs": "year", "decade": "decade", "decades": "decade",
}

# Every unit a claim can be stored with (the claims suite allows exactly these).
UNITS = frozenset({
    *CURRENCY_SIGNS.values(), *ISO_CODES, *CURRENCY_WORDS.values(), *CURRENCY_ADJECTIVES.values(), *DOLLAR_BY_DOMAIN.values(),
    *(unit for unit, _ in MEASURES.values()), *DURATIONS.values(), "percent", "count", "point", "degree", "age",
} - {"RMB"} | {"CNY"})


@lru_cache(maxsize=1)
def unit_registry():
    """pint's unit registry, built once per process."""
    import pint

    return pint.UnitRegistry()


def convert(value: float, pint_unit: str, stored: str) -> float:
    """``value`` in ``pint_unit`` expressed in the stored unit (``6.1 inch`` → 0.155 ``m``)."""
    target = {"km2": "km**2", "m2": "m**2", "degC": "degC", "GB": "GB"}.get(stored, stored)
    if pint_unit == target or stored == "barrel":
        return value
    registry = unit_registry()
    return float(registry.Quantity(value, pint_unit).to(target).magnitude)
