"""Whole pages kept while the data they show stands (see ``pages`` and ``data_version``)."""
