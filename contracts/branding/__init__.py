"""A provider's branding: its accent colour and logo, checked and prepared for pages, PDFs
and emails.

Pure like ``contracts.texts``: plain values in, plain values out; no Django, no models.
"""
