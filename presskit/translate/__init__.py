"""Translations: language versions and their staleness, and the import of translated DOCX files."""
