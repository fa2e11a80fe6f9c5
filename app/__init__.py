"""Domain layer of 楼院通: services, configuration and the command line. Imports no Qt."""

__version__ = "0.1.0"
