"""Thin views: parse, call the service, render."""
