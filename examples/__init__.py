"""Runnable demos of microwsgi, one module or package per lesson."""
