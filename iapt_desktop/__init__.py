"""IAPT Desktop: record, check and submit NHS Talking Therapies data (IAPT data set v2.1)."""

APP_NAME = "IAPT Desktop"
__version__ = "0.1.0"
