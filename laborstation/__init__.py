"""LaborStation: the Qt-free core of the township labour-security station program."""

__version__ = "0.1.0"
